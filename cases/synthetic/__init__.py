"""A realistic synthetic registry for benchmarks and demos (``manage.py generate_synthetic``).

``profiles`` holds the proportions, ``generator`` turns a seed and a case number
into one case as plain values, ``loader`` stores them with COPY.
"""
