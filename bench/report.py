"""Writes bench/results.md: what the run measured, target by target, and by how much a miss is a miss.

The hand-written analysis below the ``ANALYSIS`` marker of an existing
results.md is kept when the table is written again.
"""

from pathlib import Path

from bench.operations import Measured, fmt

ANALYSIS = "<!-- analysis: everything below this line is kept when the harness rewrites the file -->"


def _queries(m: Measured) -> str:
    if not m.queries:
        return "–"
    low, high = min(m.queries), max(m.queries)
    return str(low) if low == high else f"{low}–{high}"


def _ratio(m: Measured) -> str:
    return f"{m.ratio:.1f}×" if m.ratio is not None else "–"


def _verdict(m: Measured) -> str:
    op = m.operation
    if m.available != "yes":
        return m.available
    if m.median is None:
        return "no timing"
    notes = []
    if op.kind == "export":
        if m.aborted_after:
            notes.append(
                f"download stopped at the time limit after {fmt(m.aborted_after)} "
                f"({_size(m.body_bytes)} received, {m.body_bytes / m.aborted_after / 1e6:.2f} MB/s)"
            )
        copy_rate = _rate(m.raw_rows, m.raw_median)
        rate = _rate(m.rows, m.median)
        # The operation's own floors (bench/operations.py, export_operation); these were the first targets.
        least = op.min_copy_share if op.min_copy_share is not None else 1 / 3
        budget = op.max_memory_mb if op.max_memory_mb is not None else 200
        first_byte = op.max_first_byte if op.max_first_byte is not None else 1
        if rate and copy_rate:
            share = rate / copy_rate
            notes.append(
                f"{share:.0%} of COPY's rows/s: "
                + ("met" if share >= least else f"missed (needs to be {least / share:.1f}× faster)")
            )
        peak = max(m.peak_memory_mb) if m.peak_memory_mb else None
        if peak is not None:
            notes.append(f"peak {peak:.0f} MB: " + ("met" if peak < budget else f"missed by {peak - budget:.0f} MB"))
        first = max(m.first_byte) if m.first_byte else None
        if first is not None:
            notes.append(f"first byte {fmt(first)}: " + ("streams" if first <= first_byte else "missed (not streamed)"))
        return "; ".join(notes)
    if op.max_ratio is not None and m.ratio is not None:
        notes.append(
            "met"
            if m.ratio <= op.max_ratio
            else f"missed by {_over(m.ratio / op.max_ratio)} "
            f"({fmt(m.median)} against {fmt(op.max_ratio * m.raw_median)} allowed)"
        )
    if op.max_seconds is not None:
        notes.append("met" if m.p95 < op.max_seconds else f"missed: p95 {fmt(m.p95)} > {fmt(op.max_seconds)}")
    if op.kind == "create" and m.queries:
        notes.append(f"{max(m.queries)} queries for 40 child rows")
    return "; ".join(notes) or "(no target)"


def _over(factor: float) -> str:
    return f"{factor - 1:.0%}" if factor < 2 else f"{factor:.1f}×"


def _size(size) -> str:
    if not size:
        return "–"
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


def _rate(rows, seconds):
    return rows / seconds if rows and seconds else None


def _page_size_note(results: list[Measured]) -> list[str]:
    """Queries per request must not grow with the page size: compare each filter's 50 and 500."""
    lines = []
    by_name = {m.operation.name: m for m in results}
    for name, m in by_name.items():
        if "page_size 50" not in name or not m.queries:
            continue
        other = by_name.get(name.replace("page_size 50", "page_size 500"))
        if other and other.queries:
            same = max(m.queries) == max(other.queries)
            label = name.removeprefix("GET /api/v1/cases/ ").removesuffix(", page_size 50")
            lines.append(
                f"- Queries per list request, {label}: {max(m.queries)} at page_size 50, "
                f"{max(other.queries)} at 500 — "
                + ("independent of page size." if same else "**grows with the page size**.")
            )
    return lines


def write(path: Path, results: list[Measured], context: dict) -> None:
    size = f"{context['cases']:,}"
    lines = [
        "# Benchmark results",
        "",
        f"`make bench SIZE={context['size']}` on {context['when']}, commit {context['commit']}.",
        "",
        f"- Registry: {size} cases ({context['synthetic']:,} synthetic of seed {context['seed']}, "
        f"the rest demo cases) and {context['child_rows']:,} child rows, in the database `{context['database']}`.",
        f"- Machine: {context['machine']}; {context['postgres']}.",
        "- Server: gunicorn, one sync worker, DEBUG off, on 127.0.0.1; client and server on the same machine.",
        "- Raw SQL: the same rows or numbers through psycopg on the same database (`bench/sql.py`), every row "
        "fetched by the client; exports as `COPY (…) TO STDOUT`.",
        f"- Each operation: one warm-up, then {context['repeat']} runs (statistics: {max(3, context['repeat'] // 3)}, "
        f"exports: {context['export_repeat']} without warm-up, admin and browser: {max(5, context['repeat'] // 2)}); "
        "p95 is the nearest rank, so with few runs it is the slowest run. Median and p95 are wall time at the "
        "client, body included. Queries per request are counted in the server (`bench/wsgi.py`).",
        "",
        "| operation | size | median | p95 | raw SQL median | ratio | queries per request | target | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in results:
        op = m.operation
        lines.append(
            f"| {op.name} | {size} | {fmt(m.median)} | {fmt(m.p95)} | {fmt(m.raw_median)} | {_ratio(m)} | "
            f"{_queries(m)} | {op.target or '–'} | {_verdict(m)} |"
        )
    lines += [
        "",
        "## Exports",
        "",
        "| export | rows | median | rows/s | COPY median | COPY rows/s | first byte | server peak memory | size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in results:
        if m.operation.kind != "export":
            continue
        rate, copy_rate = _rate(m.rows, m.median), _rate(m.raw_rows, m.raw_median)
        lines.append(
            f"| {m.operation.name} | {f'{m.rows:,}' if m.rows is not None else '–'} | {fmt(m.median)} | "
            f"{f'{rate:,.0f}' if rate else '–'} | {fmt(m.raw_median)} | {f'{copy_rate:,.0f}' if copy_rate else '–'} | "
            f"{fmt(min(m.first_byte)) if m.first_byte else '–'} | "
            f"{f'{max(m.peak_memory_mb):.0f} MB' if m.peak_memory_mb else '–'} | "
            f"{_size(m.body_bytes)}{' (partial)' if m.aborted_after else ''} |"
        )
    lines += ["", "## Notes measured by the harness", ""]
    lines += _page_size_note(results) or ["- No list measurements to compare across page sizes."]
    for m in results:
        if m.operation.kind == "export" and m.rows is not None and m.raw_rows is not None:
            part = " (the part received before the time limit)" if m.aborted_after else ""
            lines.append(f"- {m.operation.name}: {m.rows:,} rows in the download{part}, {m.raw_rows:,} rows from COPY.")
    missing = [m.operation.name for m in results if m.available != "yes"]
    if missing:
        lines.append(f"- Not measured (endpoint not available when the harness ran): {', '.join(missing)}.")
    kept = ""
    if path.exists():
        old = path.read_text()
        if ANALYSIS in old:
            kept = old.split(ANALYSIS, 1)[1].lstrip("\n")
    lines += ["", ANALYSIS, ""]
    path.write_text("\n".join(lines) + ("\n" + kept if kept else ""))
