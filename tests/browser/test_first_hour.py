"""A strategist's first hour in a real browser (issue 24): sign in and see the dashboard, add a goal
and take a suggested parent, edit the corridor, override an idea's tier, download a CSV, open the
board report. This module has its own demo database, so what it changes stays here."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

# Reads an address with the signed-in session as a download would: status, type, disposition, body.
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(async (r) => done({
  status: r.status, type: r.headers.get("content-type") || "",
  disposition: r.headers.get("content-disposition") || "", head: (await r.text()).slice(0, 200)
})).catch((e) => done({status: 0, type: "", disposition: "", head: String(e)}));
"""


def _notice(browser) -> str:  # noqa: ANN001
    found = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))
    return found[0].text


def test_a_strategist_walks_the_first_hour(browser, live_server, login) -> None:  # noqa: ANN001
    login(browser, live_server, "strategist", "demo-strategist")
    # The dashboard, fully scored: no 'not scored' notice, heatmap drawn.
    assert browser.current_url.rstrip("/") == live_server
    main = browser.find_element(By.TAG_NAME, "main")
    assert "not been scored" not in main.text and browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")

    # A new goal, its parent taken from the suggestions.
    browser.get(live_server + "/goals")
    browser.find_element(By.ID, "f-id").send_keys("G-HOUR")
    Select(browser.find_element(By.ID, "f-unit_id")).select_by_value("U-RD")
    Select(browser.find_element(By.ID, "f-level")).select_by_value("2")
    browser.find_element(By.ID, "f-text").send_keys("Cut the energy use of our refrigerators by a third")
    wait = WebDriverWait(browser, 20)
    suggestions = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#suggest-list li.suggestion"))
    parent = suggestions[0].get_attribute("data-id")
    suggestions[0].find_element(By.TAG_NAME, "button").click()
    assert browser.find_element(By.ID, "f-parent_ids").get_attribute("value") == parent
    browser.find_element(By.CSS_SELECTOR, "form[action='/goals'] button[type=submit]").click()
    assert "Goal G-HOUR created." in _notice(browser)
    browser.get(live_server + "/goals/G-HOUR/edit")
    assert browser.find_element(By.ID, "f-parent_ids").get_attribute("value") == parent

    # The corridor: one more focus area, saved as a new mission version.
    browser.get(live_server + "/mission")
    focus = browser.find_element(By.ID, "f-focus")
    focus.send_keys("\nheat pumps for homes")
    browser.find_element(By.CSS_SELECTOR, "form[action='/mission/corridor'] button[value=save]").click()
    assert "Corridor saved as a new mission version" in _notice(browser)
    assert "heat pumps for homes" in browser.find_element(By.ID, "f-focus").get_attribute("value")

    # An override of the first idea in the inbox.
    browser.get(live_server + "/ideas")
    row = browser.find_element(By.CSS_SELECTOR, "table tbody tr")
    idea_id = row.find_element(By.TAG_NAME, "td").text
    row.find_element(By.TAG_NAME, "summary").click()
    Select(row.find_element(By.NAME, "tier")).select_by_visible_text("off")
    row.find_element(By.NAME, "reason").send_keys("We do not sell this any more")
    row.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert f"Your tier for idea {idea_id} is saved" in _notice(browser)

    # A CSV from the dashboard, and the board report, which opens in the browser.
    browser.get(live_server + "/")
    link = browser.find_element(By.CSS_SELECTOR, "a[href^='/dashboard/heatmap.csv'][download]")
    csv = browser.execute_async_script(FETCH, link.get_attribute("href"))
    assert csv["status"] == 200 and csv["type"].startswith("text/csv"), csv
    assert "," in csv["head"].splitlines()[0]
    pdf = browser.find_element(By.PARTIAL_LINK_TEXT, "Board report (PDF)").get_attribute("href")
    answer = browser.execute_async_script(FETCH, pdf)
    assert answer["status"] == 200 and answer["disposition"].startswith("inline"), answer
    browser.find_element(By.PARTIAL_LINK_TEXT, "Board report (HTML)").click()
    wait.until(lambda d: "/dashboard/report.html" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert "Frostline" in browser.find_element(By.TAG_NAME, "body").text
