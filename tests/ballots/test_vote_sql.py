"""The vote write path's SQL names tables directly: they must stay the models' tables."""

import importlib
import re

from apps.ballots.services import votes

vote_function = importlib.import_module("apps.ballots.migrations.0010_vote_write_function")


def _named_tables(sql: str) -> set[str]:
    common_table_expressions = set(re.findall(r"(\w+) AS \(", sql))
    return set(re.findall(r"\b(?:FROM|JOIN|INTO|(?<!DO )UPDATE)\s+(\w+)", sql)) - common_table_expressions


def test_the_statements_name_only_the_models_tables():
    for table, model in votes.STATEMENT_TABLES.items():
        assert model._meta.db_table == table
    assert _named_tables(" ".join(vars(votes._STATEMENTS).values())) == set(votes.STATEMENT_TABLES)


def test_the_postgresql_function_names_the_same_tables():
    sql = vote_function.VOTE_WRITE_FUNCTION
    # Not tables: the function's parameters (p_…), its result columns and its variables (after INTO).
    header, body = sql.split("BEGIN", 1)
    result_columns = re.search(r"RETURNS TABLE \((.*?)\) LANGUAGE", header, re.S).group(1)
    variables = {column.split()[0] for column in result_columns.split(",")}
    variables |= set(re.findall(r"\b(p_\w+|v_\w+)\b", sql))
    assert _named_tables(body) - variables == set(votes.STATEMENT_TABLES)
