"""Brand, principles and line of sight in a real browser: the pre-publication check, the image-gap
chart, the principle flags and a person's line of sight. Nothing here changes the shared demo data."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def sign_in(browser, live_server, login, user: str, password: str) -> None:
    """Sign in and wait until the redirect has landed, so the next page load does not race it."""
    login(browser, live_server, user, password)
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)


CHEAP_AD = "Cheap fridges, fast! Don't bother with repairs: bring the old one in and we scrap it."


def test_contributor_checks_a_text_before_publishing(browser, live_server, login, screenshot_dir) -> None:
    sign_in(browser, live_server, login, "contributor", "demo-contributor")
    browser.get(live_server + "/brand/check")
    browser.find_element(By.ID, "f-text").send_keys(CHEAP_AD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    verdict = WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "verdict")))
    assert "off" in verdict.find_element(By.TAG_NAME, "h2").text
    flagged = browser.find_element(By.ID, "contradictions").text
    assert "Reliability" in flagged and "Cheap fridges, fast!" in flagged
    assert "We repair before we replace." in browser.find_element(By.ID, "principle-flags").text
    browser.execute_script("arguments[0].scrollIntoView()", verdict)
    browser.save_screenshot(str(screenshot_dir / "brand-check.png"))


def test_empty_text_gets_a_clear_message(browser, live_server, login) -> None:
    sign_in(browser, live_server, login, "viewer", "demo-viewer")
    browser.get(live_server + "/brand/check")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: "is empty" in d.find_element(By.TAG_NAME, "main").text)


def test_image_gap_chart_is_drawn_with_its_data_table(browser, live_server, login, screenshot_dir) -> None:
    sign_in(browser, live_server, login, "viewer", "demo-viewer")
    browser.get(live_server + "/brand/image")
    canvas = WebDriverWait(browser, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "canvas[data-chart][data-drawn=true]"))
    )
    assert canvas.size["height"] > 100
    assert len(browser.find_elements(By.CSS_SELECTOR, "#image-by-month-table tbody tr")) >= 5
    assert "M23" in browser.find_element(By.TAG_NAME, "main").text  # a quote from an outside voice
    browser.save_screenshot(str(screenshot_dir / "brand-image.png"))


def test_principles_page_lists_flags_and_strategist_can_edit(browser, live_server, login) -> None:
    sign_in(browser, live_server, login, "strategist", "demo-strategist")
    browser.get(live_server + "/principles")
    flags = browser.find_element(By.ID, "flags").text
    assert "M16" in flags and "cut" in flags
    assert browser.find_elements(By.CSS_SELECTOR, "form[action='/principles'] input[name='text-0']")


def test_person_page_shows_goals_up_to_the_mission(browser, live_server, login, screenshot_dir) -> None:
    sign_in(browser, live_server, login, "viewer", "demo-viewer")
    browser.get(live_server + "/units/U-RD")
    lines = browser.find_element(By.ID, "goal-lines").text
    assert "↑" in lines and "Mission" in lines
    browser.find_element(By.CSS_SELECTOR, "details summary").click()  # the unit's people
    browser.find_element(By.CSS_SELECTOR, "#people a").click()
    WebDriverWait(browser, 20).until(lambda d: "/people/" in d.current_url)
    assert browser.find_element(By.ID, "skills")
    browser.save_screenshot(str(screenshot_dir / "person.png"))
