"""bench/record.py writes benchmark rows into docs/benchmarks.md: one row per key, and a table whose
columns changed gets the new header without keeping rows of the old shape."""

from bench import record as recorder

OLD = """# Benchmarks

## Bloc detection

| run | recall | date | machine |
|---|---|---|---|
| small | 0.9 | 2026-01-01 | m |

## Other

| run | x | date | machine |
|---|---|---|---|
| a | 1 | 2026-01-01 | m |
"""


def test_a_row_replaces_the_row_with_its_key_and_other_sections_stay(tmp_path, monkeypatch):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(OLD)
    monkeypatch.setattr(recorder, "DOC", doc)
    recorder.record("Bloc detection", "| run | recall |", "| small | 0.95 |", key="small")
    text = doc.read_text()
    assert "| small | 0.9 |" not in text and "| small | 0.95 |" in text
    assert text.count("| run | recall | date | machine |") == 1
    assert "## Other\n\n| run | x | date | machine |\n|---|---|---|---|\n| a | 1 | 2026-01-01 | m |\n" in text


def test_new_columns_replace_the_header_and_drop_rows_of_the_old_shape(tmp_path, monkeypatch):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(OLD)
    monkeypatch.setattr(recorder, "DOC", doc)
    recorder.record("Bloc detection", "| run | recall | members |", "| medium | 0.9 | 0.8 |", key="medium")
    recorder.record("Bloc detection", "| run | recall | members |", "| small | 0.95 | 0.9 |", key="small")
    section = doc.read_text().split("## Bloc detection\n\n", 1)[1].split("\n\n## Other", 1)[0].splitlines()
    assert section[:2] == ["| run | recall | members | date | machine |", "|---|---|---|---|---|"]
    assert [row.split(" | ")[0] for row in section[2:]] == ["| medium", "| small"]
    assert all(row.count("|") == 6 for row in section)
