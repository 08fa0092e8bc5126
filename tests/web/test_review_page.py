"""The duplicate-review page: clusters, a bulk accept after a sample and a confirmation, and
the undo offered after every decision."""

import datetime as dt

from jaring.access import Actor
from jaring.demo.hardlists import hard_list, write_csv
from jaring.registry.actions import imports, linking
from jaring.registry.dedupe import Thresholds
from jaring.registry.queries import review

from .conftest import csrf_of, principal_named


def test_review_bulk_with_confirmation_and_undo(browser_as, api, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_csv(hard_list(300, seed=5), tmp_path / "hard.csv")
    system = Actor.system()
    imports.import_files(
        web_engine, system, [tmp_path / "hard.csv"], "Hard", listed_on=dt.date(2024, 1, 1)
    )
    linking.dedupe(web_engine, system, thresholds=Thresholds(match=0.9999999, review=0.5))
    c = browser_as("admin")
    page = c.get("/registry/review", params={"lang": "en"})
    assert page.status_code == 200 and 'class="card pair"' in page.text
    # in English the agreement levels and the holds are English words too
    assert '<td class="muted">same (' in page.text and '<td class="muted">sama (' not in page.text
    assert "mungkin" not in page.text.split("<main")[1]
    token = csrf_of(page.text)
    # first a sample and a question, nothing decided yet
    ask = c.post("/registry/review-bulk", data={"csrf_token": token, "above": "0.98"})
    assert ask.status_code == 200 and 'class="accept-all"' in ask.text
    admin = principal_named(web_engine, "admin")
    before = len(review.review_list(web_engine, admin, limit=10_000))
    assert before and 'id="bulk"' in ask.text
    done = c.post(
        "/registry/review-bulk",
        data={"csrf_token": token, "above": "0.98", "confirm": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "decided=" in done.headers["location"]
    after = c.get(done.headers["location"])
    assert 'action="/registry/review-undo"' in after.text
    left = len(review.review_list(web_engine, admin, limit=10_000))
    assert left < before
    pairs = done.headers["location"].split("decided=")[1]
    undo = c.post(
        "/registry/review-undo",
        data={"csrf_token": csrf_of(after.text), "pairs": pairs},
        follow_redirects=False,
    )
    assert undo.status_code == 303 and "undone=" in undo.headers["location"]
    assert len(review.review_list(web_engine, admin, limit=10_000)) == before
    bad = c.post("/registry/review-bulk", data={"csrf_token": token, "above": "0.1"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    # the form asks for a percentage, as the cards show probabilities: 98 and "98,5 %" too
    form = c.get("/registry/review").text
    assert 'name="above" value="98"' in form
    for typed, shown in (("98", "98,0%"), ("98,5 %", "98,5%")):
        asked = c.post("/registry/review-bulk", data={"csrf_token": token, "above": typed})
        assert asked.status_code == 200 and 'id="bulk"' in asked.text and shown in asked.text
    too_low = c.post("/registry/review-bulk", data={"csrf_token": token, "above": "10"})
    assert too_low.status_code == 400
    # the same through the API: clusters, a sample, accept above, undo; people with two NIKs
    a = api("admin")
    clusters = a.get("/api/v1/registry/review-clusters").json()
    assert clusters and clusters[0]["pairs"]
    sample = a.get("/api/v1/registry/review-sample", params={"above": 0.98, "n": 3}).json()
    assert sample["count"] >= len(sample["sample"])
    bulk = a.post("/api/v1/registry/review-accept", json={"above": 0.98}).json()
    assert (
        bulk["decided"] == len(bulk["pairs"])
        and bulk["decided"] + len(bulk["conflicts"]) == sample["count"]
    )
    back = a.post(f"/api/v1/registry/review/{bulk['pairs'][0]}/undo")
    assert back.status_code == 200 and back.json()["pair"] == bulk["pairs"][0]
    assert a.post("/api/v1/registry/review-accept", json={"above": 0.2}).status_code == 422
    flagged = a.get("/api/v1/registry/niks").json()
    if flagged:
        one = flagged[0]
        pick = next(c["nik"] for c in one["candidates"] if not c["likely"])
        chosen = a.post(f"/api/v1/registry/people/{one['person']}/nik", json={"nik": pick})
        assert chosen.status_code == 200 and chosen.json()["nik"] == pick


def test_review_cards_mark_where_two_niks_differ(browser_as, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A pair whose NIKs differ shows, on both rows, the digits where they part."""
    write_csv(hard_list(300, seed=5), tmp_path / "hard.csv")
    system = Actor.system()
    imports.import_files(
        web_engine, system, [tmp_path / "hard.csv"], "Hard", listed_on=dt.date(2024, 1, 1)
    )
    linking.dedupe(web_engine, system, thresholds=Thresholds(match=0.9999999, review=0.5))
    admin = principal_named(web_engine, "admin")
    apart = [
        x.pair
        for x in review.review_list(web_engine, admin, limit=10_000)
        if x.left.nik and x.right.nik and x.left.nik != x.right.nik
    ]
    assert apart, "the hard list has pairs under two NIKs"
    text = browser_as("admin").get("/registry/review").text
    shown = [p for p in apart if f'id="pair-{p}"' in text]
    assert shown
    card = text.split(f'id="pair-{shown[0]}"')[1].split("</section>")[0]
    cells = card.split('class="mono nik-apart">')[1:3]
    assert len(cells) == 2 and all("<mark>" in c.split("</td>")[0] for c in cells)
