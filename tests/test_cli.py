"""The `tunix-rt` command: settings errors and the db subcommands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunix_rt.cli import main


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    for variable in ("DATABASE_URL", "DB_POOL_SIZE", "DB_MAX_OVERFLOW", "TRACE_MAX_BYTES"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


class TestSettingsErrors:
    @pytest.mark.parametrize(
        ("variable", "value"),
        [
            ("DB_POOL_SIZE", "0"),
            ("DB_POOL_SIZE", "lots"),
            ("DB_MAX_OVERFLOW", "51"),
            ("DB_POOL_TIMEOUT", "301"),
            ("TRACE_MAX_BYTES", "10"),
            ("DATABASE_URL", "mysql://nope"),
        ],
    )
    def test_bad_value_names_the_variable_and_exits_non_zero(
        self,
        in_tmp: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        variable: str,
        value: str,
    ) -> None:
        monkeypatch.setenv(variable, value)
        with pytest.raises(SystemExit) as exit_info:
            main(["db", "current"])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert variable in err
        assert value in err


class TestDbCommands:
    def test_upgrade_current_downgrade(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///./nested/dir/app.db")
        main(["db", "current"])
        assert "(empty database)" in capsys.readouterr().out
        # A relative SQLite path gets its folder created on demand.
        assert (in_tmp / "nested" / "dir" / "app.db").exists()

        main(["db", "upgrade"])
        capsys.readouterr()
        main(["db", "current"])
        assert "(head)" in capsys.readouterr().out

        main(["db", "downgrade", "0001_traces"])
        capsys.readouterr()
        main(["db", "current"])
        assert "0001_traces" in capsys.readouterr().out

    def test_unknown_command_is_usage_error(self) -> None:
        with pytest.raises(SystemExit) as exit_info:
            main(["fly"])
        assert exit_info.value.code == 2
