"""flask instruments check and flask score eq5d, invoked on an app from the factory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from pro_service import create_app
from pro_service.instruments.cli import instruments_cli, score_cli

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"


def _runner(tmp_path: Path, questionnaires_dir: Path | None = None) -> FlaskCliRunner:
    app = create_app(
        {"DATABASE_URL": "sqlite:///" + str(tmp_path / "t.db"), "ENV": "test"}
    )
    if questionnaires_dir is not None:
        # Start-up validates the configured folder: switch to the one under test after.
        app.config["QUESTIONNAIRES_DIR"] = str(questionnaires_dir)
    return app.test_cli_runner()


@pytest.fixture
def runner(tmp_path: Path) -> FlaskCliRunner:
    return _runner(tmp_path)


def test_check_without_arguments_checks_every_file_in_the_configured_folder(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(instruments_cli, ["check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["OK", "OK", "OK"]
    assert "(CLDQ " in lines[0]
    assert "(EQ5D5L " in lines[1]
    assert "(SYMPTOMS " in lines[2]


def test_check_of_a_named_good_file_prints_ok(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        instruments_cli, ["check", str(QUESTIONNAIRES / "eq5d.json")]
    )
    assert result.exit_code == 0
    assert result.output.startswith(f"OK {QUESTIONNAIRES / 'eq5d.json'} (EQ5D5L ")


def test_check_of_a_bad_file_prints_file_item_and_reason_and_exits_1(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    data = json.loads((QUESTIONNAIRES / "cldq.json").read_text(encoding="utf-8"))
    data["items"][4]["sms"].pop("en")
    bad = tmp_path / "cldq.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    good = QUESTIONNAIRES / "symptoms.json"
    result = runner.invoke(instruments_cli, ["check", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"OK {good}" in result.output
    assert f"ERROR {bad}: item CLDQ05: sms has no text for en" in result.output


def test_check_uses_questionnaires_dir_from_the_app_config(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    shutil.copy(QUESTIONNAIRES / "symptoms.json", folder / "symptoms.json")
    (folder / "other.json").write_text("[]", encoding="utf-8")
    result = _runner(tmp_path, folder).invoke(instruments_cli, ["check"])
    assert result.exit_code == 1
    assert (
        f"ERROR {folder / 'other.json'}: top level must be a JSON object"
        in result.output
    )
    assert f"OK {folder / 'symptoms.json'}" in result.output


def test_check_of_an_empty_folder_fails(tmp_path: Path) -> None:
    result = _runner(tmp_path, tmp_path).invoke(instruments_cli, ["check"])
    assert result.exit_code == 1
    assert "no instrument files" in result.output


def test_score_eq5d_prints_profile_tab_index_with_three_decimals(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(score_cli, ["eq5d", "11111", "21354", "55555", "44335"])
    assert result.exit_code == 0, result.output
    assert result.output == "11111\t1.000\n21354\t0.310\n55555\t-0.391\n44335\t0.000\n"


def test_score_eq5d_uses_the_value_set_asked_for(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        score_cli, ["eq5d", "--value-set", "3L-UK", "33333", "11112"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "33333\t-0.594\n11112\t0.848\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eq5d", "1234"], "must have 5 digits"),
        (["eq5d", "11a11"], "must contain only the digits 1-5"),
        (["eq5d", "--value-set", "3L-CN", "11411"], "level outside 1-3 (3L) for UA"),
        (["eq5d", "--value-set", "5L-XX", "11111"], "'5L-XX' is not one of"),
    ],
)
def test_score_eq5d_refuses_a_bad_profile_or_value_set_clearly(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(score_cli, args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_corrupted_instrument_file_stops_start_up_naming_file_and_item(tmp_path: Path) -> None:
    import json
    import shutil

    from pro_service import create_app
    from pro_service.instruments.service import InstrumentError

    folder = tmp_path / "questionnaires"
    shutil.copytree(Path(__file__).resolve().parents[3] / "questionnaires", folder)
    data = json.loads((folder / "eq5d.json").read_text(encoding="utf-8"))
    data["items"][1]["text"].pop("zh-CN")
    (folder / "eq5d.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError) as err:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "QUESTIONNAIRES_DIR": str(folder)})
    assert "eq5d.json" in str(err.value) and data["items"][1]["id"] in str(err.value)
