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
    # Every row shows its idea's tier (the demo is scored): one badge per row, naming a tier.
    badges = browser.find_elements(By.CSS_SELECTOR, "table tbody tr td span.tier")
    assert len(badges) == len(rows)
    assert {badge.text for badge in badges} <= {"core", "adjacent", "off"}
    assert all(f"tier-{badge.text}" in badge.get_attribute("class").split() for badge in badges)


def test_a_contributor_submits_an_idea_without_an_id_and_sees_its_verdict(
    browser, live_server, login
) -> None:
    """The first-hour path of issue 24: the form above the inbox, no id to invent, the verdict shown."""
    login(browser, live_server, "contributor", "demo-contributor")
    browser.get(live_server + "/ideas")
    form_top = browser.find_element(By.ID, "f-text").location["y"]
    assert form_top < browser.find_element(By.CSS_SELECTOR, "table").location["y"]
    browser.find_element(By.ID, "f-text").send_keys("A door gasket that keeps its seal for fifteen years")
    browser.find_element(By.CSS_SELECTOR, 'form[action="/ideas"] button[type="submit"]').click()
    verdict = browser.find_element(By.CSS_SELECTOR, "section.verdict").text
    assert "submitted" in verdict and "Verdict:" in verdict and "score" in verdict
    assert any(tier in verdict for tier in ("core", "adjacent", "off"))


def test_the_menu_marks_the_section_of_the_page(browser, live_server, login) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    for path, section in (("/principles", "Brand"), ("/knowledge/skills", "Knowledge"), ("/ideas", "Ideas")):
        browser.get(live_server + path)
        current = browser.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Main"] a[aria-current="page"]')
        assert [a.text for a in current] == [section], path


def test_the_skills_page_lists_who_knows_what_and_why(browser, live_server, login) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/knowledge/skills")
    rows = browser.find_elements(By.CSS_SELECTOR, "#skills tbody tr")
    assert len(rows) > 20
    assert "EU energy labelling and ecodesign" in browser.find_element(By.ID, "skills").text
