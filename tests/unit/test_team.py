"""A team on one database: reps, who gets a new inquiry, mine/team views, reassigning customers."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

from sopdesk.cli import main
from sopdesk.services import funnel, inbox, records, reps, session, today
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.sop import playbook
from sopdesk.sop.assignment import AssignedBy, AssignmentMode, AssignmentRules, assign
from sopdesk.sop.stages import ActivityKind, Channel, RepRole, Stage, TaskKind
from sopdesk.store import db
from sopdesk.store.models import Activity, Customer, Inquiry, Rep, Task

pytestmark = pytest.mark.backends

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")


# --- the rule, pure ----------------------------------------------------------------------------


EVERYONE = AssignmentRules()


def _assign(rules: AssignmentRules = EVERYONE, **facts: object):
    values: dict[str, object] = {
        "buyer_owner": None,
        "country": "",
        "text": "",
        "reps": ["ann", "bob", "cho"],
        "last_in_rotation": None,
    }
    values.update(facts)
    return assign(rules, **values)  # type: ignore[arg-type]


def test_the_same_buyer_stays_with_their_rep_even_when_a_manager_assigns() -> None:
    rules = AssignmentRules(mode=AssignmentMode.MANAGER, by_country={"DE": "bob"})
    found = _assign(rules, buyer_owner="cho", country="DE")
    assert (found.login, found.by) == ("cho", AssignedBy.SAME_BUYER)
    assert _assign(rules, country="DE").by is AssignedBy.MANAGER
    assert _assign(rules, country="DE").login is None


def test_country_then_product_then_round_robin() -> None:
    rules = AssignmentRules(by_country={"DE": "bob"}, by_product=(("solar", "cho"), ("led", "ann")))
    assert _assign(rules, country="de", text="LED panels").login == "bob"
    found = _assign(rules, country="FR", text="Solar LED street lights")
    assert (found.login, found.by) == ("cho", AssignedBy.PRODUCT)
    turns = [
        _assign(rules, country="FR", last_in_rotation=last).login
        for last in (None, "ann", "bob", "cho")
    ]
    assert turns == ["ann", "bob", "cho", "ann"]


def test_a_login_with_no_rep_behind_it_is_skipped() -> None:
    rules = AssignmentRules(by_country={"DE": "gone"}, rotation=("gone", "bob"))
    found = _assign(rules, country="DE", buyer_owner="left-the-company")
    assert (found.login, found.by) == ("bob", AssignedBy.ROUND_ROBIN)
    assert _assign(rules, reps=[]).login is None


def test_the_default_rotation_leaves_managers_out() -> None:
    found = _assign(reps=["boss", "ann"], default_rotation=["ann"], last_in_rotation="ann")
    assert found.login == "ann"


def test_the_playbook_reads_the_assignment_table(tmp_path: Path) -> None:
    team = tmp_path / "playbook.toml"
    team.write_text(
        '[assignment]\nmode = "rules"\nrotation = ["ann", "bob"]\n'
        '[assignment.by_country]\nde = "bob"\n[assignment.by_product]\n"Solar Panel" = "ann"\n',
        "utf-8",
    )
    rules = playbook.check_file(team).assignment
    assert rules.rotation == ("ann", "bob")
    assert dict(rules.by_country) == {"DE": "bob"}
    assert rules.by_product == (("solar panel", "ann"),)
    assert playbook.shipped().assignment.mode is AssignmentMode.RULES
    team.write_text('[assignment]\nmode = "lottery"\n[assignment.by_country]\nGermany = "x"\n')
    with pytest.raises(playbook.PlaybookError) as caught:
        playbook.check_file(team)
    assert {p.key for p in caught.value.problems} == {
        "assignment.mode",
        "assignment.by_country.Germany",
    }


# --- capture with a team -----------------------------------------------------------------------


@pytest.fixture
def team(store: Path) -> dict[str, int]:
    ids = {}
    for login, role in (("boss", "manager"), ("ann", "rep"), ("bob", "rep")):
        ids[login] = reps.add_rep(login, name=login.title(), role=role).rep_id
    return ids


def _inquiry(email: str, country: str = "FR", text: str = "Please quote 100 pcs.") -> InquiryInput:
    return InquiryInput(
        channel=Channel.EMAIL,
        received_at=NOW.subtract(minutes=2),
        buyer_name=email.split("@")[0],
        email=email,
        country=country,
        message=text,
    )


def _owner(inquiry_id: int) -> int | None:
    with db.database.connection_context():
        return Inquiry.get_by_id(inquiry_id).owner_id


def test_new_buyers_take_turns_and_a_known_buyer_stays(team: dict[str, int]) -> None:
    first = capture(_inquiry("a@one.com"))
    second = capture(_inquiry("b@two.com"))
    third = capture(_inquiry("c@three.com"))
    assert [_owner(r.inquiry_id) for r in (first, second, third)] == [
        team["ann"],
        team["bob"],
        team["ann"],
    ]
    again = capture(_inquiry("b@two.com", text="And 200 more?"))
    assert again.customer_id == second.customer_id and _owner(again.inquiry_id) == team["bob"]
    with db.database.connection_context():
        assert Customer.get_by_id(second.customer_id).owner_id == team["bob"]


def test_the_rep_who_types_it_in_owns_it(team: dict[str, int]) -> None:
    result = capture(_inquiry("d@four.com"), owner_id=team["bob"])
    assert _owner(result.inquiry_id) == team["bob"]


def test_the_team_playbook_routes_by_country_or_leaves_it_to_a_manager(
    team: dict[str, int],
) -> None:
    path = playbook.override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[assignment.by_country]\nDE = "bob"\n', "utf-8")
    assert _owner(capture(_inquiry("e@five.de", country="Germany")).inquiry_id) == team["bob"]
    path.write_text('[assignment]\nmode = "manager"\n', "utf-8")
    assert _owner(capture(_inquiry("f@six.com", text="other")).inquiry_id) is None


# --- mine and team -----------------------------------------------------------------------------


def test_mine_is_my_work_plus_unassigned_and_team_is_everything(team: dict[str, int]) -> None:
    ann, bob = team["ann"], team["bob"]
    capture(_inquiry("a@one.com"), owner_id=ann)
    capture(_inquiry("b@two.com"), owner_id=bob)
    path = playbook.override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[assignment]\nmode = "manager"\n', "utf-8")
    capture(_inquiry("c@three.com"))  # nobody's yet
    mine = inbox.inbox_page(NOW, owner_id=ann)
    assert {r.buyer_name for r in mine.rows} == {"a", "c"} and mine.unanswered == 2
    assert inbox.inbox_page(NOW).unanswered == 3
    items = today.today_items(NOW, "Asia/Shanghai", ann, refresh=False, owner_id=bob)
    assert {i.customer_name for i in items if i.kind == "inquiry"} == {"b", "c"}
    assert sum(s.current for s in funnel.funnel_view(ann).steps) == 2
    assert sum(s.current for s in funnel.funnel_view().steps) == 3


# --- reassigning -------------------------------------------------------------------------------


def test_a_manager_reassigns_with_history_and_open_work_moves(team: dict[str, int]) -> None:
    result = capture(_inquiry("a@one.com"), owner_id=team["ann"])
    with db.database.connection_context():
        Task.create(
            customer=result.customer_id,
            owner=team["ann"],
            kind=TaskKind.FOLLOW_UP,
            title="call",
            due_at=NOW,
        )
    before = records.customer_detail(result.customer_id)
    with pytest.raises(reps.RepError):
        reps.reassign_customer(result.customer_id, team["bob"], team["ann"])
    moved = reps.reassign_customer(result.customer_id, team["bob"], team["boss"])
    assert (moved.from_name, moved.to_name, moved.inquiries, moved.tasks) == ("Ann", "Bob", 1, 1)
    after = records.customer_detail(result.customer_id)
    assert after.owner_id == team["bob"] and after.version == before.version + 1
    with db.database.connection_context():
        entry = Activity.get(Activity.kind == ActivityKind.SYSTEM)
        assert entry.subject == "Reassigned from Ann to Bob" and entry.by_id == team["boss"]
        assert Task.get().owner_id == team["bob"]
    # An editor holding the old version learns that the owner changed under them.
    with pytest.raises(records.StaleEdit):
        records.update_customer(before, {"notes": "mine"})


# --- reps and managers -------------------------------------------------------------------------


def test_profiles_are_checked_and_the_last_manager_stays(team: dict[str, int]) -> None:
    with pytest.raises(reps.RepError, match="already"):
        reps.add_rep("ann")
    with pytest.raises(reps.RepError, match="time zone"):
        reps.update_rep("ann", timezone="Mars/Olympus")
    with pytest.raises(reps.RepError, match="only manager"):
        reps.update_rep("boss", role="rep")
    changed = reps.update_rep("ann", title="Sales", signature="Ann\nACME", timezone="Europe/Berlin")
    assert (changed.title, changed.signature, changed.timezone) == (
        "Sales",
        "Ann\nACME",
        "Europe/Berlin",
    )
    with pytest.raises(reps.RepError):
        reps.may_change("ann", "bob", role_change=False)
    with pytest.raises(reps.RepError):
        reps.may_change("ann", "ann", role_change=True)
    reps.may_change("ann", "ann", role_change=False)
    reps.may_change("boss", None, role_change=True)
    assert reps.act_as("boss", "ann").login == "ann"
    with pytest.raises(reps.RepError, match="not one"):
        reps.act_as("ann", "bob")


def test_the_first_login_on_a_new_database_is_its_manager(store: Path) -> None:
    from sopdesk.config import Settings

    first = session.open_session(Settings(), "first")
    second = session.open_session(Settings(), "second")
    assert first.is_manager and not second.is_manager
    assert first.role is RepRole.MANAGER


def _cli(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(store), *args])
    return result.exit_code, result.output


def test_rep_commands(team: dict[str, int], store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "current_login", lambda: "boss")
    code, out = _cli(store, "rep", "add", "cho", "--name", "Cho Lee", "--timezone", "Asia/Seoul")
    assert code == 0, out
    code, out = _cli(store, "rep", "set", "cho", "--role", "manager", "--signature", "Cho\\nACME")
    assert code == 0 and "manager" in out
    code, out = _cli(store, "rep", "list")
    assert code == 0 and "cho" in out and "Asia/Seoul" in out and "ann" in out
    result = capture(_inquiry("a@one.com"), owner_id=team["ann"])
    with db.database.connection_context():
        number = Customer.get_by_id(result.customer_id).code
    code, out = _cli(store, "rep", "assign", number, "bob")
    assert code == 0 and "from Ann to Bob" in out, out
    monkeypatch.setattr(session, "current_login", lambda: "ann")
    code, out = _cli(store, "rep", "set", "ann", "--role", "manager")
    assert code == 1 and "only a manager" in out
    code, out = _cli(store, "rep", "assign", number, "ann")
    assert code == 1 and "only a manager" in out
    code, out = _cli(store, "--rep", "bob")
    assert code == 1 and "only a manager may work as another rep" in out
    with db.database.connection_context():
        assert Rep.get(Rep.login == "cho").signature == "Cho\nACME"
        assert Customer.get_by_id(result.customer_id).stage is Stage.LEAD


def test_a_cron_import_with_assign_follows_the_rule(
    team: dict[str, int], store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "current_login", lambda: "boss")
    path = playbook.override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[assignment.by_product]\n"ufo" = "bob"\n', "utf-8")
    mail = tmp_path / "new.eml"
    mail.write_text(
        "From: Max <max@lights.de>\nTo: sales@example.com\nSubject: UFO high bay\n"
        "Message-ID: <m1@lights.de>\nDate: Thu, 26 Nov 2026 10:00:00 +0100\n\n"
        "Please quote 300 UFO lights.\n",
        "utf-8",
    )
    code, out = _cli(store, "import", "inquiries", "--assign", str(mail))
    assert code == 0, out
    other = tmp_path / "own.eml"
    other.write_text(mail.read_text().replace("m1@", "m2@").replace("300", "500"), "utf-8")
    code, out = _cli(store, "import", "inquiries", str(other))
    assert code == 0, out
    with db.database.connection_context():
        owners = dict(Inquiry.select(Inquiry.message_id, Inquiry.owner).tuples())
    assert owners == {"m1@lights.de": team["bob"], "m2@lights.de": team["boss"]}


def test_work_typed_in_by_a_manager_does_not_reset_the_turns(team: dict[str, int]) -> None:
    assert _owner(capture(_inquiry("a@one.com")).inquiry_id) == team["ann"]
    capture(_inquiry("m@manager.com"), owner_id=team["boss"])
    assert _owner(capture(_inquiry("b@two.com")).inquiry_id) == team["bob"]
