"""A realistic synthetic registry for benchmarks and demos (``manage.py generate_synthetic``).

``profiles`` holds the proportions of each disease, ``calcinosis_profiles`` those of the lesions, their
treatments and their follow-up; ``generator`` turns a seed and a case number into one case as plain values
(``calcinosis`` draws its lesions, courses and visits; ``draw`` the weighted choices); ``loader`` stores
them with COPY.
"""
