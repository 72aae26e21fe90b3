"""Every revision upgrades and downgrades cleanly on each dialect."""

from __future__ import annotations

import anyio
from sqlalchemy import inspect

import tunix_rt.models  # noqa: F401  (fills Base.metadata)
from tunix_rt import migrations
from tunix_rt.db import Base, create_engine
from tunix_rt.settings import Settings

APP_TABLES = {t.name for t in Base.metadata.sorted_tables}


async def _tables_and_indexes(url: str) -> tuple[set[str], set[str]]:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:

            def read(sync_conn: object) -> tuple[set[str], set[str]]:
                inspector = inspect(sync_conn)
                tables = set(inspector.get_table_names()) - {"alembic_version"}
                indexes = {
                    ix["name"]
                    for table in tables
                    for ix in inspector.get_indexes(table)
                    if ix["name"]
                }
                return tables, indexes

            return await conn.run_sync(read)
    finally:
        await engine.dispose()


class TestMigrations:
    def test_upgrade_downgrade_upgrade(self, file_database: str) -> None:
        url = file_database
        migrations.upgrade(url)
        tables, indexes = anyio.run(_tables_and_indexes, url)
        assert tables == APP_TABLES
        expected_indexes = {ix.name for t in Base.metadata.sorted_tables for ix in t.indexes}
        assert expected_indexes <= indexes
        assert "(head)" in migrations.current(url)

        migrations.downgrade(url, "base")
        assert anyio.run(_tables_and_indexes, url)[0] == set()

        migrations.upgrade(url)
        assert anyio.run(_tables_and_indexes, url)[0] == APP_TABLES

    def test_each_step_down_removes_only_its_tables(self, file_database: str) -> None:
        url = file_database
        migrations.upgrade(url)
        migrations.downgrade(url, "-1")
        assert anyio.run(_tables_and_indexes, url)[0] == {"traces", "scores", "datasets"}
        migrations.downgrade(url, "-1")
        assert anyio.run(_tables_and_indexes, url)[0] == {"traces", "scores"}
        migrations.upgrade(url)
        assert anyio.run(_tables_and_indexes, url)[0] == APP_TABLES
