"""A team on one database: reps, who gets a new inquiry, mine/team views, reassigning customers."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

from sopdesk.cli import main
from sopdesk.services import customers, funnel, inbox, records, reps, session, today
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.sop import playbook
from sopdesk.sop.assignment import AssignedBy, AssignmentMode, AssignmentRules, assign
from sopdesk.sop.stages import ActivityKind, Channel, RepRole, Stage, TaskKind
from sopdesk.store import db
from sopdesk.store.models import Activity, Customer, Inquiry, Rep, Task
from tests.timeline_words import system_touches

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
        assert entry.by_id == team["boss"]
        assert Task.get().owner_id == team["bob"]
    (shown,) = system_touches(result.customer_id)  # worded when read
    assert shown.title == "Reassigned from Ann to Bob"
    assert (
        shown.text == "by Boss; 1 unanswered inquiry and 1 open follow-up moved with the customer"
    )
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


# --- a rep who leaves --------------------------------------------------------------------------


def test_a_rep_who_left_receives_nothing_and_the_turns_go_on_after_them() -> None:
    rules = AssignmentRules(by_country={"DE": "bob"}, by_product=(("solar", "bob"),))
    active = ["ann", "cho"]  # bob was deactivated
    found = _assign(rules, reps=active, buyer_owner="bob", country="DE", text="solar")
    assert (found.login, found.by) == ("ann", AssignedBy.ROUND_ROBIN)
    turns = ["ann", "bob", "cho"]
    after_bob = _assign(reps=active, default_rotation=turns, last_in_rotation="bob")
    assert after_bob.login == "cho"
    after_cho = _assign(reps=active, default_rotation=turns, last_in_rotation="cho")
    assert after_cho.login == "ann"


def _customer_of(rep_id: int, email: str) -> tuple[int, int]:
    """(customer id, inquiry id) of a new buyer typed in by the rep."""
    result = capture(_inquiry(email), owner_id=rep_id)
    return result.customer_id, result.inquiry_id


def test_new_inquiries_skip_a_deactivated_rep(team: dict[str, int]) -> None:
    path = playbook.override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[assignment.by_country]\nDE = "bob"\n', "utf-8")
    known, _inquiry_id = _customer_of(team["bob"], "known@bob.com")
    reps.deactivate_rep("bob", "boss", None)
    owners = {
        _owner(capture(_inquiry(email, country=country)).inquiry_id)
        for email, country in (("g@seven.de", "DE"), ("h@eight.fr", "FR"), ("i@nine.fr", "FR"))
    }
    assert owners == {team["ann"]}  # neither the country rule nor a turn goes to bob
    again = capture(_inquiry("known@bob.com", text="Reorder, please"))
    assert again.customer_id == known and _owner(again.inquiry_id) == team["ann"]


def test_deactivating_is_for_managers_and_keeps_the_last_one(team: dict[str, int]) -> None:
    with pytest.raises(reps.RepError, match="only a manager"):
        reps.deactivate_rep("bob", "ann")
    with pytest.raises(reps.RepError, match="last active manager"):
        reps.deactivate_rep("boss", "boss")
    with pytest.raises(reps.RepError, match="no rep"):
        reps.deactivate_rep("nobody", "boss")
    with pytest.raises(reps.RepError, match="themselves"):
        reps.check_deactivation("bob", "boss", "bob")
    reps.add_rep("eve", name="Eve", role="manager")
    reps.deactivate_rep("boss", "eve")  # another manager remains
    with pytest.raises(reps.RepError, match="only a manager"):
        reps.deactivate_rep("ann", "boss")  # an inactive manager has no rights left
    with pytest.raises(reps.RepError, match="only manager"):
        reps.update_rep("eve", role="rep")  # the last active one stays a manager


def test_deactivating_with_reassignment_moves_open_work_and_keeps_history(
    team: dict[str, int],
) -> None:
    ann, bob, boss = team["ann"], team["bob"], team["boss"]
    first, _ = _customer_of(ann, "a@one.com")
    second, answered = _customer_of(ann, "b@two.com")
    with db.database.connection_context():
        Inquiry.update(first_reply_at=NOW).where(Inquiry.id == answered).execute()
        Task.create(customer=first, owner=ann, kind=TaskKind.FOLLOW_UP, title="call", due_at=NOW)
        Task.create(
            customer=first, owner=ann, kind=TaskKind.FOLLOW_UP, title="old", due_at=NOW, done_at=NOW
        )
        versions = {c.id: c.version for c in Customer.select()}
    assert reps.check_deactivation("ann", "boss") == reps.OwnedWork(2, 1, 1)
    done = reps.deactivate_rep("ann", "boss", reassign_to="bob")
    assert not done.already and done.moved == reps.OwnedWork(2, 1, 1) and done.to_name == "Bob"
    assert done.left == reps.OwnedWork(0, 0, 0) and not done.rep.active
    assert done.rep.label == "Ann (inactive)"
    with db.database.connection_context():
        assert {c.id: c.owner_id for c in Customer.select()} == {first: bob, second: bob}
        assert all(c.version == versions[c.id] + 1 for c in Customer.select())
        assert Inquiry.get_by_id(answered).owner_id == ann  # answered work stays theirs
        assert {t.title: t.owner_id for t in Task.select()} == {"call": bob, "old": ann}
        history = list(Activity.select().where(Activity.kind == ActivityKind.SYSTEM))
    assert sorted(h.customer_id for h in history) == [first, second]
    assert all(h.by_id == boss for h in history)
    shown = {c: system_touches(c)[0] for c in (first, second)}  # worded when read
    assert {s.title for s in shown.values()} == {"Reassigned from Ann to Bob"}
    assert shown[first].text == (
        "by Boss when Ann left; 1 unanswered inquiry and 1 open follow-up moved with the customer"
    )
    with pytest.raises(reps.RepError, match="deactivated"):
        reps.reassign_customer(first, ann, boss)
    with pytest.raises(reps.RepError, match="deactivated too"):
        reps.deactivate_rep("bob", "boss", reassign_to="ann")


def test_a_deactivated_rep_stays_visible_marked_and_cannot_work(team: dict[str, int]) -> None:
    from sopdesk.config import Settings

    customer, _ = _customer_of(team["ann"], "a@one.com")
    records.change_stage(customer, Stage.INTENT, team["ann"], "wants a quote")
    done = reps.deactivate_rep("ann", "boss")  # without reassigning: the work stays theirs
    assert done.left == reps.OwnedWork(1, 1, 0) and done.moved is None
    window = records.first_window(records.CustomerFilter(), records.Sort(), 10)[0]
    assert [r.owner_name for r in window.rows] == ["Ann (inactive)"]
    assert records.customer_detail(customer).owner_name == "Ann (inactive)"
    assert records.stage_history(customer)[0].by == "Ann (inactive)"
    assert {i.by for i in records.timeline_window(customer).items if i.entry.value == "stage"} == {
        "Ann (inactive)"
    }
    with db.database.connection_context():
        Activity.create(
            customer=customer, kind=ActivityKind.EMAIL, at=NOW.add(minutes=1), text="hi",
            by=team["ann"],
        )  # fmt: skip
    newest = customers.customer_card(customer).timeline[0]
    assert (newest.text, newest.by) == ("hi", "Ann (inactive)")
    listed = {r.login: r for r in reps.list_reps()}
    assert not listed["ann"].active and listed["ann"].customers == 1 and listed["bob"].active
    with pytest.raises(session.InactiveRepError, match="ann was deactivated on 2026-11-27"):
        session.open_session(Settings(), "ann")
    with pytest.raises(reps.RepError, match="deactivated"):
        reps.act_as("boss", "ann")
    view, changed = reps.activate_rep("ann", "boss")
    assert changed and view.active and view.label == "Ann"
    assert session.open_session(Settings(), "ann").rep_id == team["ann"]
    assert reps.activate_rep("ann", "boss")[1] is False
    with pytest.raises(reps.RepError, match="only a manager"):
        reps.activate_rep("bob", "ann")


def test_the_customer_filter_mine_is_the_same_mine_as_the_workbench(
    team: dict[str, int],
) -> None:
    ann_customer, _ = _customer_of(team["ann"], "a@one.com")
    bob_customer, _ = _customer_of(team["bob"], "b@two.com")
    nobodys, _ = _customer_of(team["bob"], "c@three.com")
    with db.database.connection_context():
        Customer.update(owner=None).where(Customer.id == nobodys).execute()
    mine = records.CustomerFilter(owner_id=team["ann"])
    window = records.first_window(mine, records.Sort(), 10)[0]
    assert {r.customer_id for r in window.rows} == {ann_customer, nobodys}
    assert records.count_customers(mine) == 2 and records.count_customers() == 3
    assert bob_customer not in {r.customer_id for r in window.rows}


def test_next_in_scope_steps_through_the_reps_then_the_team(team: dict[str, int]) -> None:
    steps = [reps.next_in_scope(None)]
    while steps[-1] is not None:
        steps.append(reps.next_in_scope(steps[-1].rep_id))
    assert [s.login if s else None for s in steps] == ["ann", "bob", None]


def test_rep_deactivate_and_activate_commands(
    team: dict[str, int], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopdesk.cli

    customer, _ = _customer_of(team["ann"], "a@one.com")
    monkeypatch.setattr(session, "current_login", lambda: "ann")
    code, out = _cli(store, "rep", "deactivate", "bob", "--yes")
    assert code == 1 and "only a manager can deactivate" in out
    monkeypatch.setattr(session, "current_login", lambda: "boss")
    result = CliRunner().invoke(main, ["--db", str(store), "rep", "deactivate", "ann"], input="n\n")
    assert result.exit_code == 1, result.output
    assert "ann owns 1 customer, 1 open inquiry and 0 open follow-ups" in result.output
    assert "nothing changed" in result.output and reps.rep_by_login("ann").active
    result = CliRunner().invoke(main, ["--db", str(store), "rep", "deactivate", "ann"], input="y\n")
    assert result.exit_code == 0 and "deactivated ann" in result.output, result.output
    assert "ann still owns 1 customer," in result.output
    code, out = _cli(store, "rep", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "inactive since 2026-11-27" in lines["ann"] and "active" in lines["bob"]
    code, out = _cli(store, "rep", "deactivate", "ann", "--reassign-to", "bob")
    assert code == 0 and "already inactive" in out and "moved 1 customer, 1 open inquiry" in out, (
        out
    )
    with db.database.connection_context():
        assert Customer.get_by_id(customer).owner_id == team["bob"]
    code, out = _cli(store, "rep", "deactivate", "boss", "--yes")
    assert code == 1 and "last active manager" in out
    code, out = _cli(store, "rep", "deactivate", "bob", "--reassign-to", "ann")
    assert code == 1 and "deactivated too" in out
    # The deactivated rep cannot open sopdesk as themselves; the workbench never starts.
    monkeypatch.setattr(sopdesk.cli, "_run", lambda app: pytest.fail("the workbench opened"))
    monkeypatch.setattr(session, "current_login", lambda: "ann")
    code, out = _cli(store)
    assert code == 1 and "ann was deactivated on 2026-11-27" in out
    assert "sopdesk rep activate ann" in out
    monkeypatch.setattr(session, "current_login", lambda: "boss")
    code, out = _cli(store, "rep", "activate", "ann")
    assert code == 0 and "activated ann" in out and reps.rep_by_login("ann").active
