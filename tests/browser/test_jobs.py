"""Background jobs in a real browser: start a re-score from the jobs page and watch it finish."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By


def test_strategist_starts_a_rescore_and_sees_it_finish(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/jobs")
    before = len(browser.find_elements(By.CSS_SELECTOR, "#jobs tbody tr"))
    browser.find_element(By.XPATH, "//button[normalize-space()='Re-score all ideas']").click()
    assert browser.current_url.endswith("/jobs")
    for _ in range(100):  # the page is reloaded the way a user clicks "Refresh"
        rows = browser.find_elements(By.CSS_SELECTOR, "#jobs tbody tr")
        if len(rows) > before and rows[0].get_attribute("data-state") in ("done", "failed"):
            break
        time.sleep(0.2)
        browser.get(live_server + "/jobs")
    newest = browser.find_elements(By.CSS_SELECTOR, "#jobs tbody tr")[0]
    assert newest.get_attribute("data-state") == "done", newest.text
    assert "rescore" in newest.text and "strategist" in newest.text
    progress = newest.find_element(By.TAG_NAME, "progress")
    assert float(progress.get_attribute("value")) == 100
    browser.save_screenshot(str(screenshot_dir / "jobs.png"))


def test_viewer_sees_jobs_but_no_button_to_start_one(browser, live_server, login) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/jobs")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Background jobs"
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Re-score all ideas']")
