#!/usr/bin/env python3
"""Real-browser test of `criteria serve`: a new user with only a browser.

Starts the built `criteria serve` on a free 127.0.0.1 port with a fresh decision database, then in
headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):

- uploads the sample province on the inspector page and gets a decision id;
- finds a failing commune and reads why, in Vietnamese, with what it would take to pass;
- opens the criterion's page with its legal clause;
- types a mistake in the rule playground and sees the diagnostic, with its line highlighted;
- sends a malformed upload, an oversize upload and a rule with an alias as a key while an evaluation
  runs, and checks each gets a 4xx in well under a second while other requests are served;
- restarts the server and reopens the decision id: the same explanation, byte for byte;
- uploads the 2021–2025 sample, opens the plan page from the record, reads its charts and tables,
  and follows a commune holding a target back to its explanation;
- uploads the same sample as the .xlsx LibreOffice saved, gets the verdicts of the YAML upload, opens
  the plan page from the record, and downloads the record as .xlsx: a workbook with a sheet per level
  and the verdicts in Vietnamese words;
- in the playground, raises a threshold from a date (parameters.yaml) and adds a clause on a new input
  (the criterion, then inputs.yaml), reads the mistake in Vietnamese at its line, runs the tests (the
  new value reported untested), compares verdicts on the sample, downloads the change set and checks
  the zip's files and that `git apply --check` takes its patch;
- uses the pages with the keyboard only (visible focus, Tab not trapped in the playground's editor:
  Esc then Tab leaves it) and checks every page with axe-core (axe-selenium-python): no serious or
  critical violation.

Screenshots go to Docs/screenshots/. Every wait is bounded; the server is stopped at the end whatever
happens. Prints 'N passed, N failed' and exits 1 when anything failed.

Usage: python test_pages.py [path/to/criteria]   (default .build/debug/criteria; run Tests/browser/setup.sh first)
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
import zipfile
from io import BytesIO

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "criteria"))
SCREENSHOTS = os.path.join(ROOT, "Docs", "screenshots")
SAMPLE = os.path.join(ROOT, "Examples", "thanh-hoa-2026", "province.yaml")
SAMPLE_2025 = os.path.join(ROOT, "Examples", "thanh-hoa", "province.yaml")
# The same 2021–2025 sample as LibreOffice Calc saved it (Examples/thanh-hoa/make-xlsx.py).
SAMPLE_XLSX = os.path.join(ROOT, "Examples", "thanh-hoa", "province.xlsx")
PLAN = "thanh-hoa-2022-2025"
WAIT = 15  # seconds, for any one thing the browser waits for
START_WAIT = 60  # seconds, for the server to answer after it starts


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`criteria serve` in a child process, with its output in a log file."""

    def __init__(self, database, log_path):
        self.database = database
        self.log_path = log_path
        self.process = None
        self.port = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.port = free_port()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--rules", os.path.join(ROOT, "Rules"), "--port", str(self.port), "--database", self.database],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with code {self.process.returncode} at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/v1/status", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                time.sleep(0.2)
        raise AssertionError(f"the server did not answer on {self.base} within {START_WAIT} s:\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"


def request(method, url, body=None, headers=None, timeout=10):
    """(status, headers, body bytes, seconds) of one HTTP request; 4xx and 5xx are returned, not raised."""
    started = time.monotonic()
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            data = response.read()
            return response.status, dict(response.headers), data, time.monotonic() - started
    except urllib.error.HTTPError as error:
        data = error.read()
        return error.code, dict(error.headers), data, time.monotonic() - started


class Run:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.state = {}

    def check(self, name, function, needs=()):
        missing = [n for n in needs if n not in self.state]
        if missing:
            self.failed += 1
            print(f"FAIL {name}: skipped because an earlier step failed ({', '.join(missing)})", flush=True)
            return
        started = time.monotonic()
        try:
            function()
            self.passed += 1
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as error:  # noqa: BLE001 - report every failure and go on
            self.failed += 1
            print(f"FAIL {name}: {error}", flush=True)
            traceback.print_exc(limit=3, file=sys.stdout)


def make_browser():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=vi", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    browser = webdriver.Chrome(service=service, options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(10)
    return browser


def screenshot(browser, name, width=1280, max_height=2600):
    """A PNG of the page, as tall as its content (up to max_height)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    browser.set_window_size(width, min(max(int(height) + 120, 600), max_height))
    time.sleep(0.3)
    path = os.path.join(SCREENSHOTS, name)
    browser.save_screenshot(path)
    browser.set_window_size(1280, 900)
    return path


def accessibility_problems(browser):
    """The serious and critical axe-core violations of the page shown, one line each."""
    axe = Axe(browser)
    axe.inject()
    # A record page has hundreds of table cells: axe takes seconds on a loaded machine.
    browser.set_script_timeout(180)
    try:
        results = axe.run(options='{"resultTypes": ["violations"]}')
    finally:
        browser.set_script_timeout(10)
    problems = []
    for violation in results["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def main():
    # A SIGTERM (from `timeout`) unwinds through the finally blocks below, which stop the server.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    if not os.access(BINARY, os.X_OK):
        print(f"FAIL setup: {BINARY} is not an executable; run `swift build` first")
        print("0 passed, 1 failed")
        return 1
    work = tempfile.mkdtemp(prefix="criteria-browser-")
    server = Server(os.path.join(work, "decisions.sqlite"), os.path.join(work, "server.log"))
    run = Run()
    browser = None
    wait = None
    try:
        server.start()
        browser = make_browser()
        wait = WebDriverWait(browser, WAIT)

        def upload_sample():
            browser.get(server.base + "/")
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi", "the page is not in Vietnamese by default"
            browser.find_element(By.ID, "file").send_keys(SAMPLE)
            suggested = browser.find_element(By.ID, "as_of").get_attribute("value")
            assert suggested, "no date is suggested"
            # The suggested date is today (in Vietnam): TT 124 and criterion 10 are in force.
            screenshot(browser, "inspector.png")
            browser.find_element(By.ID, "evaluate").click()
            wait.until(EC.url_contains("/decisions/"))
            wait.until(EC.presence_of_element_located((By.ID, "decision-id")))
            decision = browser.find_element(By.ID, "decision-id").text.strip()
            assert decision.startswith("KQ-"), f"no decision id on {browser.current_url}"
            assert "/decisions/" + decision in browser.current_url
            run.state["decision"] = decision

        def failing_commune():
            browser.find_element(By.ID, "problems-only").click()
            wait.until(EC.url_contains("show=problems"))
            # A commune failing a threshold: its reasons row says what was needed ("cần …").
            rows = browser.find_elements(
                By.XPATH, "//section[h2[contains(., 'Xã')]]//table[@class='verdicts']/tbody/tr[td[@class='fail']][following-sibling::tr[1][contains(., 'cần')]]")
            assert rows, "no commune failing a threshold in the verdict table"
            link = rows[0].find_element(By.TAG_NAME, "a")
            entity = link.text.strip()
            link.click()
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "details.explanation")))
            text = browser.find_element(By.TAG_NAME, "main").text
            assert "không đạt" in text, "the explanation does not say 'không đạt'"
            assert "để đạt" in text, "the explanation does not say what it would take to pass ('để đạt')"
            assert "căn cứ" in text, "the explanation does not cite its source ('căn cứ')"
            run.state["entity"] = entity
            run.state["entity_url"] = browser.current_url.split("?")[0]
            run.state["explanation"] = browser.find_element(By.TAG_NAME, "main").get_attribute("innerHTML")
            screenshot(browser, "explanation.png")
            browser.set_window_size(390, 844)
            time.sleep(0.3)
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 2, f"the explanation page scrolls sideways on a phone ({overflow} px)"
            browser.save_screenshot(os.path.join(SCREENSHOTS, "explanation-phone.png"))
            browser.set_window_size(1280, 900)

        def full_tree_and_english():
            browser.get(run.state["entity_url"])
            short = len(browser.find_elements(By.CSS_SELECTOR, "details"))
            browser.find_element(By.ID, "full-tree").click()
            wait.until(EC.presence_of_element_located((By.ID, "short-tree")))
            full = len(browser.find_elements(By.CSS_SELECTOR, "details"))
            assert full > short, f"the full tree ({full} nodes) is not larger than the short one ({short})"
            browser.get(run.state["entity_url"] + "?lang=en")
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
            assert "to pass" in browser.find_element(By.TAG_NAME, "main").text

        def legal_clause():
            browser.get(run.state["entity_url"])
            browser.find_element(By.PARTIAL_LINK_TEXT, "Văn bản và điều khoản").click()
            wait.until(EC.presence_of_element_located((By.XPATH, "//h2[contains(., 'Điều kiện / Clauses')]")))
            text = browser.find_element(By.TAG_NAME, "main").text
            assert "TT 124/2021/TT-BCA" in text, "the criterion page does not cite TT 124/2021/TT-BCA"
            assert "Mô tả / Description" in text, "the criterion page has no legal description"
            assert "Nguyên văn căn cứ" in text, "the criterion page does not show the law's wording"
            screenshot(browser, "criterion.png")

        def playground_mistake():
            browser.get(server.base + "/playground?criterion=xa-ntm.19.2")
            wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))
            area = browser.find_element(By.ID, "rule-text")
            position = browser.execute_script(
                "var t = arguments[0]; var i = t.value.indexOf('check: serious_crimes == 0') + 'check: serious_crimes'.length;"
                "t.focus(); t.setSelectionRange(i, i); return i;", area)
            assert position > 30, "the rule text does not hold the expected check"
            area.send_keys("X")
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#diagnostics li.diag.error")))
            item = browser.find_element(By.CSS_SELECTOR, "#diagnostics li.diag.error")
            assert "serious_crimesX" in item.text, f"the diagnostic does not name the mistake: {item.text}"
            with open(os.path.join(ROOT, "Rules", "xa-ntm", "19.2.yaml"), encoding="utf-8") as f:
                line = next(n for n, text in enumerate(f, start=1) if "check: serious_crimes == 0" in text)
            assert f"dòng {line}" in item.text, f"the diagnostic is not at line {line}: {item.text}"
            bad = browser.find_elements(By.CSS_SELECTOR, "#gutter span.bad")
            assert [b.text for b in bad] == [str(line)], f"line {line} is not highlighted: {[b.text for b in bad]}"
            item.click()
            browser.execute_script("window.scrollTo(0, 0)")
            screenshot(browser, "playground.png")
            # Served rules are untouched: the criterion still checks for serious_crimes.
            status, _, body, _ = request("GET", server.base + "/v1/criteria/xa-ntm.19.2")
            assert status == 200 and b"serious_crimes == 0" in body, "the served rules changed"
            # Clicking the diagnostic selected the mistake; put the caret after the X and delete it.
            browser.execute_script(
                "var t = arguments[0]; var i = t.value.indexOf('serious_crimesX') + 'serious_crimesX'.length;"
                "t.focus(); t.setSelectionRange(i, i);", area)
            area.send_keys("\b")
            wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))
            browser.find_element(By.ID, "run-tests").click()
            wait.until(EC.presence_of_element_located((By.ID, "tests-summary")))
            assert ", 0 sai;" in browser.find_element(By.ID, "tests-summary").text  # "N đúng, 0 sai; độ phủ …"
            browser.find_element(By.ID, "run-diff").click()
            wait.until(EC.presence_of_element_located((By.ID, "diff-summary")))
            assert "0 kết quả thay đổi" in browser.find_element(By.ID, "diff-summary").text

        def refusals_are_fast():
            sample = open(SAMPLE, "rb").read()
            results = {}

            def good():
                results["good"] = request("POST", server.base + "/v1/evaluations?as_of=2024-12-31", sample,
                                          {"Content-Type": "application/yaml"}, timeout=30)

            worker = threading.Thread(target=good)
            worker.start()
            bad = {
                "malformed": ("POST", "/v1/evaluations?as_of=2024-12-31", b"dataset: 1\nprovince: [\n", {"Content-Type": "application/yaml"}),
                "oversize": ("POST", "/v1/evaluations?as_of=2024-12-31", b"#" * (8 * 1024 * 1024 + 1), {"Content-Type": "application/yaml"}),
                "alias-as-key": ("POST", "/v1/check", json.dumps({"file": "xa-ntm/19.2.yaml", "text": "criteria: 1\nid: &a x\n? *a\n: 1\n"}).encode(),
                                 {"Content-Type": "application/json"}),
            }
            for name, (method, path, body, headers) in bad.items():
                status, _, data, seconds = request(method, server.base + path, body, headers)
                assert 400 <= status < 500, f"{name}: status {status}"
                assert seconds < 1.0, f"{name}: answered in {seconds:.2f} s"
                problems = json.loads(data)
                assert problems["diagnostics"], f"{name}: no diagnostics"
                errors = [d["id"] for d in problems["diagnostics"] if d["severity"] == "error"]
                assert errors, f"{name}: no error among the diagnostics"
                print(f"     {name}: {status} {errors[0]} in {seconds * 1000:.0f} ms", flush=True)
            status, _, _, seconds = request("GET", server.base + "/v1/status")
            assert status == 200 and seconds < 1.0, f"status: {status} in {seconds:.2f} s"
            worker.join(timeout=30)
            assert "good" in results, "the evaluation running meanwhile did not finish"
            assert results["good"][0] == 201, f"the evaluation running meanwhile got {results['good'][0]}"

        def restart_and_reopen():
            server.stop()
            server.start()
            decision = run.state["decision"]
            entity_path = run.state["entity_url"].split("/decisions/", 1)[1]
            browser.get(server.base + "/")
            field = browser.find_element(By.ID, "reopen-id")
            field.send_keys(decision)
            field.submit()
            wait.until(EC.text_to_be_present_in_element((By.ID, "decision-id"), decision))
            browser.get(server.base + "/decisions/" + entity_path)
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "details.explanation")))
            again = browser.find_element(By.TAG_NAME, "main").get_attribute("innerHTML")
            assert again == run.state["explanation"], "the reopened explanation differs from the one shown before the restart"

        run.check("upload the sample province and get a decision id", upload_sample)
        run.check("find a failing commune and read why in Vietnamese", failing_commune, needs=["decision"])
        run.check("open the full tree and the English page", full_tree_and_english, needs=["entity_url"])
        run.check("see the criterion's legal clause", legal_clause, needs=["entity_url"])
        run.check("type a mistake in the playground and see the diagnostic", playground_mistake)
        run.check("malformed, oversize and alias-as-key requests get a 4xx in under a second", refusals_are_fast)
        run.check("restart the server and reopen the decision id", restart_and_reopen, needs=["decision", "explanation"])

        def plan_page():
            browser.get(server.base + "/")
            browser.find_element(By.ID, "file").send_keys(SAMPLE_2025)
            browser.execute_script("arguments[0].value = '2024-12-31'", browser.find_element(By.ID, "as_of"))
            browser.find_element(By.ID, "evaluate").click()
            wait.until(EC.presence_of_element_located((By.ID, "decision-id")))
            run.state["decision_2025"] = browser.find_element(By.ID, "decision-id").text.strip()
            browser.find_element(By.CSS_SELECTOR, "#plan-links a").click()
            wait.until(EC.url_contains("/plans/" + PLAN))
            charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg[role='img']")
            assert len(charts) == 6, f"{len(charts)} charts on the plan page, not 6"
            for chart in charts:
                labelled = chart.get_attribute("aria-labelledby").split()
                names = [browser.find_element(By.ID, i).get_attribute("textContent") for i in labelled]
                assert all(names), f"a chart without its title or description: {labelled}"
                assert chart.size["width"] > 300, f"a chart is drawn {chart.size['width']} px wide"
            assert browser.find_elements(By.CSS_SELECTOR, "table.groups th[scope='row']"), "no per-district table"
            text = browser.find_element(By.TAG_NAME, "main").text
            assert "cần ≥ 99%" in text, "the chart does not name the required share"
            assert "Huyện Đông Sơn" in text, "no district in the tables"
            run.state["plan_url"] = browser.current_url
            screenshot(browser, "plan.png")
            holdout = browser.find_element(By.CSS_SELECTOR, "details.holdouts li a")
            holdout.click()
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "details.explanation")))
            assert "/entities/" in browser.current_url, browser.current_url
            browser.get(run.state["plan_url"].split("?")[0] + "?lang=en")
            assert "required ≥ 99%" in browser.find_element(By.TAG_NAME, "main").text

        def spreadsheet_upload_plan_export():
            browser.get(server.base + "/")
            browser.find_element(By.ID, "file").send_keys(SAMPLE_XLSX)
            browser.execute_script("arguments[0].value = '2024-12-31'", browser.find_element(By.ID, "as_of"))
            browser.find_element(By.ID, "evaluate").click()
            wait.until(EC.presence_of_element_located((By.ID, "decision-id")))
            decision = browser.find_element(By.ID, "decision-id").text.strip()
            assert decision.startswith("KQ-"), f"no decision id on {browser.current_url}"
            record_url = browser.current_url.split("?")[0]
            assert "province.xlsx" in browser.find_element(By.CSS_SELECTOR, "dl.record").text, "the record does not name the workbook"

            def outcomes(record):
                status, _, body, _ = request("GET", f"{server.base}/v1/decisions/{record}")
                assert status == 200, f"GET /v1/decisions/{record}: {status}"
                entities = json.loads(body)["evaluation"]["entities"]
                return {(e["id"], v["criterion"]): v["outcome"] for e in entities for v in e["verdicts"]}
            mine = outcomes(decision)
            assert len(mine) > 100, f"only {len(mine)} verdicts from the workbook"
            if "decision_2025" in run.state:  # the YAML upload of the plan check
                theirs = outcomes(run.state["decision_2025"])
                differ = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
                assert not differ, f"the workbook's verdicts differ from the YAML's: {differ[:5]}"

            browser.find_element(By.CSS_SELECTOR, "#plan-links a").click()
            wait.until(EC.url_contains("/plans/" + PLAN))
            assert len(browser.find_elements(By.CSS_SELECTOR, "figure.chart svg[role='img']")) == 6, "not 6 charts on the plan page"
            text = browser.find_element(By.TAG_NAME, "main").text
            assert "cần ≥ 99%" in text and "Huyện Đông Sơn" in text, "the plan page lacks its target or its districts"

            browser.get(record_url)
            link = wait.until(EC.presence_of_element_located((By.ID, "download-xlsx")))
            status, headers, body, _ = request("GET", link.get_attribute("href"), timeout=60)
            assert status == 200, f"export.xlsx: {status}"
            kind = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
            assert "spreadsheetml" in kind, f"export.xlsx served as {kind!r}"
            assert body[:4] == b"PK\x03\x04", "the export is not a ZIP file"
            with zipfile.ZipFile(BytesIO(body)) as book:
                workbook = book.read("xl/workbook.xml").decode("utf-8")
                strings = book.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in book.namelist() else ""
                cells = strings + "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/"))
            for sheet in ("Huyện", "Xã", "Đơn vị", "Căn cứ"):
                assert f'name="{sheet}"' in workbook, f"no sheet {sheet!r} in the exported workbook: {workbook[:600]}"
            for word in ("không đạt", "chưa xác định", "Xã Đông Khê"):
                assert word in cells, f"the exported workbook does not say {word!r}"

        def playground_change_set():
            # A policy officer's change in the playground: raise a threshold from a date
            # (parameters.yaml), add a clause on a new input (the criterion and inputs.yaml), read the
            # mistake in Vietnamese, run the tests, see the diff, and download the change set.
            downloads = tempfile.mkdtemp(prefix="downloads-", dir=work)
            try:
                browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
            except Exception:  # noqa: BLE001 - older drivers know only the page-level command
                browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
            browser.get(server.base + "/playground?criterion=xa-ntm.19.2")
            wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))
            area = browser.find_element(By.ID, "rule-text")

            def open_file(name):
                Select(browser.find_element(By.ID, "file-choice")).select_by_value(name)
                browser.find_element(By.ID, "open-file").click()
                wait.until(lambda b: (area.get_attribute("aria-label") or "").endswith(" " + name))

            def caret_at(marker, after=True):
                position = browser.execute_script(
                    "var t = arguments[0], i = t.value.indexOf(arguments[1]); if (i < 0) return -1;"
                    "if (arguments[2]) i += arguments[1].length; t.focus(); t.setSelectionRange(i, i); return i;",
                    area, marker, after)
                assert position >= 0, f"the editor does not hold {marker!r}"

            def clean():
                wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))

            def run_until(button, shown):
                # The whole rule-test suite on a debug build of a loaded 2-core machine can pass the
                # server's 5 s bound (503 request.timeout, shown on the page): that is the bound
                # working, so ask again, a few times.
                for _ in range(4):
                    browser.find_element(By.ID, button).click()
                    wait.until(lambda b: b.find_elements(By.ID, shown) or b.find_elements(By.CSS_SELECTOR, "#results .warning-box"))
                    if browser.find_elements(By.ID, shown):
                        return
                    refusal = browser.find_element(By.CSS_SELECTOR, "#results .warning-box").text
                    assert "quá giới hạn" in refusal, f"refused: {refusal}"
                    time.sleep(2)
                raise AssertionError(f"{button}: every try passed the server's time bound")

            # 1. Raise the share of units recognised safe from 2025: a new dated value.
            open_file("parameters.yaml")
            caret_at("      2022-02-10: 70%")
            area.send_keys("\n      2025-01-01: 75%")
            clean()
            # 2. A clause on an input the rules do not declare yet: refused, in Vietnamese, at its line.
            browser.find_element(By.XPATH, "//ul[@id='file-list']//button[text()='xa-ntm/19.2.yaml']").click()
            wait.until(lambda b: (area.get_attribute("aria-label") or "").endswith(" xa-ntm/19.2.yaml"))
            caret_at("  - id: khong-ky-luat-cong-an", after=False)
            area.send_keys("  - id: khong-diem-ma-tuy\n    title: { vi: Không có điểm ma túy, en: No drug hotspot }\n"
                           "    check: drug_hotspots == 0\n\n")
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#diagnostics li.diag.error")))
            item = browser.find_element(By.CSS_SELECTOR, "#diagnostics li.diag.error")
            assert "không có đầu vào 'drug_hotspots'" in item.text and "dòng" in item.text, f"not Vietnamese, or not placed: {item.text}"
            alert = browser.find_element(By.ID, "error-alert")
            assert alert.is_displayed() and "lỗi" in alert.text, f"the mistake is not announced: {alert.text!r}"
            assert browser.find_elements(By.CSS_SELECTOR, "#gutter span.bad"), "the clause's line is not highlighted"
            # 3. Declare the input in inputs.yaml, in the same change: everything checks.
            open_file("inputs.yaml")
            browser.execute_script("var t = arguments[0]; t.focus(); t.setSelectionRange(t.value.length, t.value.length);", area)
            area.send_keys("  - name: drug_hotspots\n    type: count\n    level: commune\n"
                           "    label: { vi: \"Số điểm ma túy\", en: \"Drug hotspots\" }\n")
            clean()
            files = browser.find_element(By.ID, "file-list").text
            assert files.count("đã sửa") == 3, f"the change's files are not all marked edited: {files!r}"
            # 4. The rule tests: the fixtures lack the new fact, and the new value is not yet tested.
            run_until("run-tests", "tests-summary")
            summary = browser.find_element(By.ID, "tests-summary").text
            assert " đúng, " in summary and ", 0 sai;" not in summary, f"the tests do not see the new input: {summary}"
            missing = browser.find_element(By.ID, "coverage-missing").text
            assert "safe_unit_share" in missing and "2025-01-01" in missing, f"the new value is not reported untested: {missing}"
            # 5. The verdicts the change would change on the sample.
            run_until("run-diff", "diff-summary")
            changes = browser.find_element(By.ID, "diff-changes").text
            assert "drug_hotspots" in changes and "safe_unit_share" in changes, f"the changes are not named: {changes}"
            assert "kết quả thay đổi" in browser.find_element(By.ID, "diff-summary").text
            # 6. Download the change set: the edited files and a patch naming them.
            browser.find_element(By.ID, "download-changes").click()
            target = os.path.join(downloads, "thay-doi-quy-tac.zip")
            WebDriverWait(browser, WAIT).until(lambda b: os.path.exists(target) and not os.path.exists(target + ".crdownload"))
            wait.until(EC.text_to_be_present_in_element((By.ID, "download-state"), "Đã tải"))
            with zipfile.ZipFile(target) as archive:
                names = set(archive.namelist())
                patch = archive.read("thay-doi.patch").decode("utf-8")
            assert names == {"thay-doi.patch", "Rules/xa-ntm/19.2.yaml", "Rules/inputs.yaml", "Rules/parameters.yaml"}, names
            assert patch.startswith("Đề xuất thay đổi quy tắc"), patch[:200]
            for name in ("Rules/xa-ntm/19.2.yaml", "Rules/inputs.yaml", "Rules/parameters.yaml"):
                assert f"diff --git a/{name} b/{name}" in patch, f"the patch does not name {name}"
            copy = os.path.join(work, "repository")
            shutil.copytree(os.path.join(ROOT, "Rules"), os.path.join(copy, "Rules"))
            with open(os.path.join(copy, "thay-doi.patch"), "w", encoding="utf-8") as out:
                out.write(patch)
            checked = subprocess.run(["git", "apply", "--check", "thay-doi.patch"], cwd=copy, capture_output=True, text=True, timeout=30)
            assert checked.returncode == 0, f"git apply --check refused the patch: {checked.stderr}"
            # The served rules never changed.
            status, _, body, _ = request("GET", server.base + "/v1/criteria/xa-ntm.19.2")
            assert status == 200 and b"drug_hotspots" not in body, "the served rules changed"

        def keyboard_only():
            browser.get(server.base + "/")
            ActionChains(browser).send_keys(Keys.TAB).perform()
            focused = browser.switch_to.active_element
            outline = browser.execute_script(
                "var s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]", focused)
            assert outline[0] != "none" and outline[1] >= 2, f"the focused {focused.tag_name} has no visible outline: {outline}"
            browser.get(server.base + "/playground?criterion=xa-ntm.19.2")
            wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))
            area = browser.find_element(By.ID, "rule-text")
            browser.execute_script("arguments[0].focus(); arguments[0].setSelectionRange(0, 0)", area)
            before = area.get_attribute("value")
            area.send_keys(Keys.TAB)
            assert browser.switch_to.active_element == area, "Tab alone should indent inside the editor"
            assert area.get_attribute("value") == "  " + before, "Tab did not insert two spaces"
            area.send_keys(Keys.ESCAPE)
            area.send_keys(Keys.TAB)
            assert browser.switch_to.active_element != area, "Esc then Tab did not leave the editor"
            area.click()
            area.send_keys(Keys.SHIFT, Keys.TAB)
            assert browser.switch_to.active_element != area, "Shift+Tab did not leave the editor"
            # A mistake is announced: the alert region gets its text.
            browser.execute_script("var t = arguments[0]; t.focus(); t.setSelectionRange(0, 0);", area)
            area.send_keys("x")
            wait.until(EC.visibility_of_element_located((By.ID, "error-alert")))
            alert = browser.find_element(By.ID, "error-alert")
            assert alert.get_attribute("role") == "alert" and "lỗi" in alert.text, f"no announced error: {alert.text!r}"
            frame = browser.execute_script(
                "var s = getComputedStyle(document.querySelector('.editor')); return [s.outlineStyle, parseFloat(s.outlineWidth)]")
            assert frame[0] != "none" and frame[1] >= 2, f"the editor shows no focus outline: {frame}"

        def every_page_accessible():
            decision = run.state.get("decision_2025") or run.state.get("decision")
            pages = ["/", "/?lang=en", "/plans", "/status", "/criteria", "/criteria/xa-ntm.19.2", "/playground?criterion=xa-ntm.19.2",
                     "/decisions/QD-2026-999999-ABCDEF"]
            if decision:
                pages += [f"/decisions/{decision}", f"/decisions/{decision}?show=problems", f"/decisions/{decision}/entities/15418",
                          f"/decisions/{decision}/entities/15418?full=1&lang=en", f"/decisions/{decision}/plans/{PLAN}",
                          f"/decisions/{decision}/plans/{PLAN}?lang=en"]
            failures = []
            for page in pages:
                browser.get(server.base + page)
                if "playground" in page:
                    wait.until(EC.text_to_be_present_in_element((By.ID, "check-state"), "Không có lỗi"))
                problems = accessibility_problems(browser)
                print(f"     {page}: {len(problems)} serious or critical", flush=True)
                failures += [f"{page}: {p}" for p in problems]
            assert not failures, "accessibility violations:\n  " + "\n  ".join(failures)

        run.check("upload the 2021–2025 sample, open the plan page from the record and follow a holdout", plan_page)
        run.check("upload the .xlsx LibreOffice saved, open the plan page from the record and export the record as .xlsx",
                  spreadsheet_upload_plan_export)
        run.check("in the playground, raise a threshold and add a clause with a new input, read the mistake in Vietnamese, test, diff and download the change set", playground_change_set)
        run.check("use the pages with the keyboard only: visible focus, Tab not trapped, errors announced", keyboard_only)
        run.check("every page has no serious or critical accessibility violation (axe-core)", every_page_accessible)
    except Exception as error:  # noqa: BLE001 - the set-up failed: say so and count it
        run.failed += 1
        print(f"FAIL setup: {error}", flush=True)
        traceback.print_exc(limit=5, file=sys.stdout)
    finally:
        if browser is not None:
            try:
                browser.quit()
            except Exception:  # noqa: BLE001
                pass
        server.stop()
        if run.failed:
            print("--- server log (tail) ---\n" + server.log_tail(), flush=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{run.passed} passed, {run.failed} failed", flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
