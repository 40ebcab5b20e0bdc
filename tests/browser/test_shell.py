"""The web shell in a real browser: sign in, navigate, role limits visible, charts drawn."""

from __future__ import annotations

from selenium.webdriver.common.by import By


def test_admin_signs_in_and_sees_the_demo_organisation(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "admin", "demo-admin")
    assert browser.current_url.rstrip("/") == live_server
    assert "Frostline" in browser.find_element(By.TAG_NAME, "h1").text
    nav = browser.find_element(By.TAG_NAME, "nav").text
    for section in ("Mission", "Goals", "Ideas", "Knowledge", "Brand"):
        assert section in nav
    browser.save_screenshot(str(screenshot_dir / "dashboard.png"))


def test_wrong_password_stays_on_login_with_a_message(browser, live_server, login) -> None:
    login(browser, live_server, "admin", "not-the-password")
    assert "/login" in browser.current_url
    assert browser.find_element(By.NAME, "username")


def test_ideas_page_lists_demo_ideas_with_tiers(browser, live_server, login) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/ideas")
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert len(rows) > 20
    text = browser.find_element(By.TAG_NAME, "main").text
    assert any(tier in text for tier in ("core", "adjacent", "off"))
