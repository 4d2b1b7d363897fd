"""Reading ticket CSV files: every problem reported with its line, nothing half-read."""

from apps.attendance.domain.ticket_csv import RowError, ticket_csv_parse

TYPES = {"Conference", "Stream only"}


def test_a_good_file_reads_every_row():
    text = (
        "\ufefforder_code,ticket_code,ticket_type,holder_email,holder_name,status\n"
        "A1,code-1,conference,Ada@Example.org,Ada,\n"
        "\n"
        "A1,code-2,Stream only,bob@example.org,Bob,cancelled\n"
    )
    parsed = ticket_csv_parse(text, ticket_type_names=TYPES)
    assert parsed.errors == ()
    assert [(r.line, r.ticket_code, r.ticket_type, r.holder_email, r.status) for r in parsed.rows] == [
        (2, "code-1", "Conference", "ada@example.org", "valid"),
        (4, "code-2", "Stream only", "bob@example.org", "cancelled"),
    ]


def test_every_bad_row_is_reported_with_its_line():
    text = (
        "order_code,ticket_code,ticket_type,holder_email,status\n"
        "A1,code-1,Conference,ada@example.org,valid\n"  # 2: fine
        ",code-2,Conference,,valid\n"  # 3: empty order code
        "A3,code-1,Conference,,valid\n"  # 4: duplicate code
        "A4,code-4,Sprint,,valid\n"  # 5: unknown type
        "A5,code-5,Conference,not-an-email,valid\n"  # 6: bad email
        "A6,code-6,Conference,,refunded\n"  # 7: unknown status
        "A7,code-7\n"  # 8: too few values
    )
    parsed = ticket_csv_parse(text, ticket_type_names=TYPES)
    by_line = {e.line: e.message for e in parsed.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8]
    assert "order_code is empty" in by_line[3]
    assert "already used on line 2" in by_line[4]
    assert "Unknown ticket type “Sprint”" in by_line[5] and "Conference, Stream only" in by_line[5]
    assert "not an email address" in by_line[6]
    assert "status “refunded” is unknown" in by_line[7]
    assert "Expected 5 values, found 2" in by_line[8]


def test_missing_columns_and_empty_files_are_explained():
    missing = ticket_csv_parse("order_code,holder_email\nA1,a@example.org\n", ticket_type_names=TYPES)
    assert missing.errors[0].line == 1 and "ticket_code, ticket_type" in missing.errors[0].message
    assert "empty" in ticket_csv_parse("", ticket_type_names=TYPES).errors[0].message
    header_only = ticket_csv_parse("order_code,ticket_code,ticket_type\n", ticket_type_names=TYPES)
    assert "no tickets" in header_only.errors[0].message


def test_holder_company_is_optional_and_company_is_its_alias():
    text = "order_code,ticket_code,ticket_type,company\nA1,code-1,Conference, Initech GmbH \nA1,code-2,Conference,\n"
    parsed = ticket_csv_parse(text, ticket_type_names=TYPES)
    assert parsed.errors == ()
    assert [r.holder_company for r in parsed.rows] == ["Initech GmbH", ""]
    too_long = ticket_csv_parse(
        "order_code,ticket_code,ticket_type,holder_company\nA1,code-1,Conference," + "x" * 201 + "\n",
        ticket_type_names=TYPES,
    )
    assert [(e.line, e.message) for e in too_long.errors] == [(2, "holder_company is longer than 200 characters.")]


def test_header_problems_a_repeated_external_id_and_broken_csv_are_reported():
    text = (
        "order_code,ticket_code,ticket_type,external_id,seat,ticket_code\n"
        "A1,code-1,Conference,p-1,12,code-1\n"
        "A2,code-2,Conference,p-1,13,code-2\n"  # the same external_id as line 2
    )
    parsed = ticket_csv_parse(text, ticket_type_names=TYPES)
    assert [(e.line, e.message) for e in parsed.errors] == [
        (
            1,
            "Unknown column(s): seat. Known: order_code, ticket_code, ticket_type, holder_email, holder_name, "
            "holder_company, status, external_id.",
        ),
        (1, "A column is named twice in the header row."),
        (3, "external_id already used on line 2."),
    ]
    huge = "x" * 200_000  # over the csv module's field limit
    broken = ticket_csv_parse(
        f'order_code,ticket_code,ticket_type\nA1,code-1,Conference\nA2,"{huge}",Conference\n', ticket_type_names=TYPES
    )
    assert [(e.line, e.message) for e in broken.errors] == [
        (3, "Not valid CSV here: field larger than field limit (131072).")
    ]
    header = ticket_csv_parse(f'"{huge}",order_code\n', ticket_type_names=TYPES)
    assert [(e.line, e.message) for e in header.errors] == [
        (1, "The header row is not valid CSV: field larger than field limit (131072).")
    ]


def test_a_nul_byte_in_the_file_is_reported():
    """PostgreSQL text cannot hold a NUL byte: an import with one raised a DataError (a 500)."""
    parsed = ticket_csv_parse("order_code,ticket_code,ticket_type\nA\x001,c1,Conference\n", ticket_type_names=TYPES)
    assert not parsed.rows
    assert parsed.errors == (
        RowError(0, "The file holds a NUL byte, so it is not CSV text. Save it as CSV UTF-8 and retry."),
    )
