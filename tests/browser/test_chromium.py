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
