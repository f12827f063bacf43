"""The browser tests' own Chromium: one that died is launched again, so a crash costs one test, not the rest."""

from __future__ import annotations


def test_a_chromium_that_died_is_launched_again(browser):
    before = browser.get()
    launches = browser.launches
    before.close()  # as a crash would leave it: disconnected
    after = browser.get()
    assert after is not before and after.is_connected()
    assert browser.launches == launches + 1
    page = after.new_page()
    page.set_content("<title>Igjen</title>")
    assert page.title() == "Igjen"
    page.close()


def test_the_live_server_counts_the_requests_it_is_answering():
    """The test ends only when the server has answered what the pages sent (new_page waits on InFlight)."""
    from tests.browser.conftest import InFlight

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ja"]

    counted = InFlight(app)
    body = counted({}, lambda status, headers: None)
    assert counted.count == 1 and not counted.wait_until_idle(timeout=0.05)  # the body is not sent yet
    assert b"".join(body) == b"ja"
    body.close()
    body.close()  # closed twice (a broken-off answer): counted once
    assert counted.count == 0 and counted.wait_until_idle(timeout=0.05)
