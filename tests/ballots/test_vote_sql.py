"""The vote write path's SQL names tables directly: they must stay the models' tables."""

import re

from apps.ballots.services import votes


def test_the_write_path_names_only_the_models_tables():
    for table, model in votes.STATEMENT_TABLES.items():
        assert model._meta.db_table == table
    statements = " ".join([*vars(votes._STATEMENTS).values(), *votes._MERGED_WRITES.values()])
    common_table_expressions = set(re.findall(r"(\w+) AS \(", statements))
    named = set(re.findall(r"\b(?:FROM|JOIN|INTO|(?<!DO )UPDATE)\s+(\w+)", statements)) - common_table_expressions
    assert named == set(votes.STATEMENT_TABLES)
