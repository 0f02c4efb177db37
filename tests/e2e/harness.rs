//! Drives the real app window: starts tauri-driver (which starts WebKitWebDriver, which
//! starts our debug binary) and hands each test a WebDriver client on its own data folder.
//! Tests take turns through one lock: one window at a time is what a clerk has, and two
//! cores do not run several WebKit processes well.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

static ONE_WINDOW_AT_A_TIME: Mutex<()> = Mutex::new(());

const DRIVER_PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;
/// How long a test waits for a state before it fails. Waits end as soon as the state is
/// there, so a generous bound costs nothing on a quiet machine and holds on a busy one.
const WAIT: Duration = Duration::from_secs(30);
/// The longest one window may stay open. A WebDriver command that never answers (seen with
/// WebKitGTK's drawing switches: a drop-down option chosen, no reply, no timeout on the wire)
/// would otherwise hang the whole suite until CI's limit; past this bound the driver and the app
/// are ended, the command fails and so does its test, with the reason on standard error.
const LONGEST_WINDOW: Duration = Duration::from_secs(300);
/// The key under which WebDriver hands a script's element back (the W3C web element identifier).
const WEB_ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The name a running app holds on the session bus (tauri-plugin-single-instance: the
/// identifier of tauri.conf.json and ".SingleInstance").
const INSTANCE_NAME: &str = "cn.jianyi.taizhang.SingleInstance";

/// True while an app of ours holds its single-instance name on the session bus.
fn instance_running() -> bool {
    Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner"])
        .arg(format!("string:{INSTANCE_NAME}"))
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
        .unwrap_or(false)
}

/// The day every test runs on: the demo ledger's day, in the middle of the handling season.
pub const TODAY: &str = ledger_core::demo::DEMO_TODAY;

/// One running app window on a data folder of its own. Dropping it closes everything.
pub struct App {
    pub client: Client,
    pub data_dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
    driver: Child,
    /// Dropped with the app, which tells the watchdog (see [`LONGEST_WINDOW`]) it can stop.
    _watchdog: Sender<()>,
    _turn: MutexGuard<'static, ()>,
}

impl Drop for App {
    /// Ends tauri-driver with everything it started (WebKitWebDriver, the app), even when a
    /// test failed half-way and never closed its session.
    fn drop(&mut self) {
        end_group(&mut self.driver);
    }
}

/// Ends the driver's group once `LONGEST_WINDOW` has passed, unless the returned sender is
/// dropped (the app closed) first.
fn watchdog(driver: &Child) -> Sender<()> {
    let (done, wait) = mpsc::channel::<()>();
    let leader = driver.id();
    std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(LONGEST_WINDOW) {
            eprintln!("the window was open over {} s (a WebDriver command never answered): ending it", LONGEST_WINDOW.as_secs());
            kill_group(leader);
        }
    });
    done
}

/// Ends tauri-driver and everything it started (its process group).
fn end_group(driver: &mut Child) {
    kill_group(driver.id());
    let _ = driver.wait();
}

/// Kills the process group whose leader is `leader`.
fn kill_group(leader: u32) {
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{leader}")]).status();
}

/// Where screenshots go for a person to look at: target/e2e-screenshots/.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

impl App {
    /// The app on a new, empty data folder.
    pub async fn fresh() -> Result<App, Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let dir = temp.path().to_path_buf();
        Self::start(dir, Some(temp), &[]).await
    }

    /// The app on a new data folder filled with the demo ledger (it opens on 提醒).
    pub async fn demo() -> Result<App, Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let dir = temp.path().to_path_buf();
        Self::start(dir, Some(temp), &["--demo"]).await
    }

    /// The app on a data folder the test prepared.
    pub async fn on(dir: &Path) -> Result<App, Box<dyn std::error::Error>> {
        Self::start(dir.to_path_buf(), None, &[]).await
    }

    /// The app on a data folder the test prepared, counting deadlines from `day` (ISO)
    /// instead of the demo's day.
    pub async fn on_day(dir: &Path, day: &str) -> Result<App, Box<dyn std::error::Error>> {
        Self::start(dir.to_path_buf(), None, &["--today", day]).await
    }

    async fn start(data_dir: PathBuf, temp: Option<tempfile::TempDir>, extra: &[&str]) -> Result<App, Box<dyn std::error::Error>> {
        let turn = ONE_WINDOW_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // NOTE: the app of the test before was killed, but the bus may not have let go of its
        // single-instance name yet; an app started now would take itself for a second launch,
        // hand over to the dead one and exit, and WebKitWebDriver would wait for it forever.
        let deadline = Instant::now() + WAIT;
        while instance_running() {
            if Instant::now() > deadline {
                return Err("the app of an earlier test still holds its single-instance name".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // NOTE: a driver left running by an earlier run (seen after a run was killed) keeps the
        // ports; ours could not listen and would exit, and the old one would answer with another
        // run's display and bus. Such a run stops here, saying why.
        for port in [DRIVER_PORT, NATIVE_PORT] {
            if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
                return Err(format!("port {port} is held by another program (a tauri-driver or WebKitWebDriver left from an earlier run?)").into());
            }
        }
        let driver_bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let driver_started = Instant::now();
        // What tauri-driver, WebKitWebDriver and the app print goes to a log beside the
        // screenshots; a window that does not open is reported with its end.
        let log_path = screenshot_dir().join("../e2e-logs").join(format!("{}.log", data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()));
        std::fs::create_dir_all(log_path.parent().expect("a folder"))?;
        let log = std::fs::File::create(&log_path)?;
        let mut driver = Command::new(&driver_bin)
            .args(["--port", &DRIVER_PORT.to_string(), "--native-port", &NATIVE_PORT.to_string()])
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {driver_bin}: {e} (cargo install tauri-driver --locked)"))?;
        // Fixed files in the data folder stand in for the native dialogs WebDriver cannot
        // drive (the paths below: 导出/, 交办清单.csv, 打印.pdf …).
        let mut args = vec!["--data-dir".to_string(), data_dir.display().to_string(), "--today".to_string(), TODAY.to_string(), "--test-dialogs".to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_jianyi-taizhang"), "args": args }),
        );
        // tauri-driver needs a moment to listen; try until it answers. A session that never
        // comes (an app that did not start) fails the test instead of hanging the suite.
        let connecting = async {
            loop {
                match ClientBuilder::native().capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{DRIVER_PORT}")).await {
                    Ok(client) => return Ok(client),
                    Err(e) if driver_started.elapsed() > WAIT => return Err(format!("no WebDriver session: {e}")),
                    Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
                }
            }
        };
        let client = match tokio::time::timeout(WAIT * 2, connecting).await {
            Ok(Ok(client)) => client,
            failed => {
                end_group(&mut driver);
                let said = std::fs::read_to_string(&log_path).unwrap_or_default();
                let tail: String = said.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
                return Err(match failed {
                    Ok(Err(e)) => format!("{e}\n{tail}"),
                    _ => format!("the app window did not open (no WebDriver session within a minute); the driver's log ends:\n{tail}"),
                }
                .into());
            }
        };
        let app = App { client, data_dir, _temp: temp, _watchdog: watchdog(&driver), driver, _turn: turn };
        app.client.wait().at_most(WAIT).for_element(Locator::Css("body[data-ready]")).await?;
        Ok(app)
    }

    /// The folder the app gets when the clerk picks one during tests.
    pub fn picked_folder(data_dir: &Path) -> PathBuf {
        data_dir.join("选定的备份文件夹")
    }

    /// The backup the app restores when the clerk picks one during tests (the test puts it there).
    pub fn backup_to_restore(data_dir: &Path) -> PathBuf {
        data_dir.join("要恢复的备份.sqlite3")
    }

    /// The file the app opens when the clerk picks one during tests (the test writes it).
    pub fn file_to_open(data_dir: &Path) -> PathBuf {
        data_dir.join("交办清单.csv")
    }

    /// The element with this test id, once the window has settled (see [`App::settled`]).
    pub async fn find(&self, testid: &str) -> Result<Element, Box<dyn std::error::Error>> {
        self.settled().await?;
        Ok(self.client.wait().at_most(WAIT).for_element(Locator::Css(&css(testid))).await?)
    }

    /// Every element with this test id, once the window has settled.
    pub async fn find_all(&self, testid: &str) -> Result<Vec<Element>, Box<dyn std::error::Error>> {
        self.settled().await?;
        Ok(self.client.find_all(Locator::Css(&css(testid))).await?)
    }

    /// Waits until nothing is in flight: no command waiting for its answer, no screen being
    /// drawn (the UI marks that with `<html data-busy>`). What the window shows then is the
    /// answer to everything the test did so far, not a moment on the way to it.
    pub async fn settled(&self) -> TestResult {
        self.settled_read("return true", vec![]).await.map(|_| ())
    }

    /// Runs `script` in the page once the window is settled, in the same turn of the page's
    /// event loop as the check, so nothing can be redrawn in between; retries until the
    /// script returns something other than null.
    async fn settled_read(&self, script: &str, args: Vec<serde_json::Value>) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        let guarded = format!("if (document.documentElement.dataset.busy) return null; {script}");
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.client.execute(&guarded, args.clone()).await?;
            if !value.is_null() {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!("the window never settled for: {script}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The texts of every element with this test id, read at once in a settled window.
    // NOTE: read by the page itself (`innerText`): WebKitWebDriver's "element text" drops text
    // that sits directly in an element with `overflow: hidden` (our cells clip long titles),
    // and one script reads all rows in one go, so a redraw cannot leave a stale element.
    // The toast is read by its content, shown or hidden again: it holds the last message until
    // the next one, so a test waits for that state, not for the seconds the message is shown
    // (on a busy machine they may pass before the window settles).
    pub async fn texts(&self, testid: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let value = self.settled_read("return Array.from(document.querySelectorAll(arguments[0]), (e) => (e.id === 'toast' ? e.textContent : e.innerText).trim());",
            vec![css(testid).into()]).await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Clicks the element with this test id in a settled window. When the screen is redrawn
    /// between finding and clicking, the new element is found and clicked.
    pub async fn click(&self, testid: &str) -> TestResult {
        self.click_found("return document.querySelector(arguments[0]);", vec![css(testid).into()]).await
    }

    /// Clicks `target` (a test id) inside the first element with test id `row` whose text
    /// contains `text`, or that element itself when `target` is empty; in a settled window,
    /// and again on the new element when the screen is redrawn in between.
    pub async fn click_in(&self, row: &str, text: &str, target: &str) -> TestResult {
        let script = "const row = Array.from(document.querySelectorAll(arguments[0])).find((r) => r.innerText.includes(arguments[1]));
            return (row && (arguments[2] ? row.querySelector(arguments[2]) : row)) || null;";
        let target = if target.is_empty() { String::new() } else { css(target) };
        self.click_found(script, vec![css(row).into(), text.into(), target.into()]).await
    }

    /// Clicks the element `find` returns: found in the same script that checks the window is
    /// settled, so no handle from before a redraw is ever used, and found again if a redraw
    /// comes between finding and clicking. The page notes whether the click reached that
    /// element (WebDriver answers a click once the page has handled it); a click the window
    /// lost on the way (seen under Xvfb on a busy machine: WebDriver said done, no handler
    /// ran) is made again, so a test waits for what the click does, not for a lost event.
    async fn click_found(&self, find: &str, args: Vec<serde_json::Value>) -> TestResult {
        let watched = format!(
            "if (!window.__clickWatch) {{
               window.__clickWatch = true;
               document.addEventListener('click', (e) => {{ if (window.__clickWanted?.contains(e.target)) window.__clickReached = true; }}, true);
             }}
             const target = (function () {{ {find} }}).apply(null, arguments);
             window.__clickWanted = target; window.__clickReached = false;
             return target;"
        );
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self.settled_read(&watched, args.clone()).await?;
            let id = found.get(WEB_ELEMENT).and_then(|id| id.as_str()).ok_or_else(|| format!("not an element: {found}"))?;
            match Element::from_element_id(self.client.clone(), id.to_string().into()).click().await {
                Ok(()) => {}
                Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => continue,
                Err(e) => return Err(e.into()),
            }
            let reached = self.client.execute("const reached = window.__clickReached; window.__clickWanted = null; return reached !== false;", vec![]).await?;
            if reached.as_bool() == Some(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the click never reached the element of: {find}").into());
            }
        }
    }

    /// Types into a field as a person would: click into it, clear it, type.
    pub async fn type_into(&self, testid: &str, text: &str) -> TestResult {
        let field = self.find(testid).await?;
        field.click().await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Picks the option whose visible text is `label` in a drop-down.
    pub async fn choose(&self, testid: &str, label: &str) -> TestResult {
        choose_in(&self.find(testid).await?, label).await
    }

    /// What the first element with this test id shows, once there is one in a settled window.
    pub async fn text(&self, testid: &str) -> Result<String, Box<dyn std::error::Error>> {
        self.wait_text(testid, |_| true).await
    }

    pub async fn value(&self, testid: &str) -> Result<String, Box<dyn std::error::Error>> {
        let value = self.settled_read("const e = document.querySelector(arguments[0]); return e ? e.value : null;", vec![css(testid).into()]).await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// Waits until the first element with this test id is there in a settled window and its
    /// text satisfies `test`; returns that text.
    pub async fn wait_text(&self, testid: &str, test: impl Fn(&str) -> bool) -> Result<String, Box<dyn std::error::Error>> {
        let deadline = Instant::now() + WAIT;
        loop {
            // Only an element that is there counts: while a screen is drawn it may be gone for
            // a moment, and its absence must not satisfy a test like "does not contain".
            let text = self.texts(testid).await?.into_iter().next();
            if let Some(text) = text.as_deref().filter(|t| test(t)) {
                return Ok(text.to_string());
            }
            if Instant::now() > deadline {
                return Err(format!("[data-testid={testid}] never matched; last text: {text:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for the toast that says a file was saved ("已保存：<path>") with a path that
    /// satisfies `test`; returns the path.
    pub async fn saved(&self, test: impl Fn(&str) -> bool) -> Result<String, Box<dyn std::error::Error>> {
        let toast = self.wait_text("toast", |t| t.strip_prefix("已保存：").is_some_and(&test)).await?;
        Ok(toast.trim_start_matches("已保存：").to_string())
    }

    /// Waits until the texts of every element with this test id, read at once in a settled
    /// window, satisfy `test`; returns them.
    pub async fn wait_texts(&self, testid: &str, test: impl Fn(&[String]) -> bool) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let deadline = Instant::now() + WAIT;
        loop {
            let texts = self.texts(testid).await?;
            if test(&texts) {
                return Ok(texts);
            }
            if Instant::now() > deadline {
                return Err(format!("[data-testid={testid}] never matched; last texts: {texts:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the screen named `name` (#/name) is shown.
    pub async fn on_screen(&self, name: &str) -> TestResult {
        self.client.wait().at_most(WAIT).for_element(Locator::Css(&format!("main[data-screen=\"{name}\"]"))).await?;
        self.settled().await
    }

    pub async fn go(&self, nav: &str) -> TestResult {
        self.click(&format!("nav-{nav}")).await?;
        self.on_screen(nav).await
    }

    /// Opens the screen at `route` (ledger, item/3 …) as a link to it would, and returns the
    /// commands it called while opening, as the window records them (api.js, main.js).
    pub async fn open_route(&self, route: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        self.settled().await?;
        self.client.execute("location.hash = '#/' + arguments[0]", vec![route.into()]).await?;
        let screen = route.split('/').next().unwrap_or(route);
        let calls = self
            .settled_read("const s = document.getElementById('screen'); return s.dataset.screen === arguments[0] && s.dataset.calls !== undefined ? s.dataset.calls : null;", vec![screen.into()])
            .await?;
        Ok(calls.as_str().unwrap_or_default().split_whitespace().map(String::from).collect())
    }

    /// Saves a picture of the window, after checking that nothing on it reads only "null" or
    /// "undefined": a missing part handed to DOM `append` is written out as that word.
    pub async fn screenshot(&self, name: &str) -> TestResult {
        let stray = self
            .settled_read(
                "const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const found = [];
                 while (walk.nextNode()) { const t = walk.currentNode.textContent.trim();
                   if (t === 'null' || t === 'undefined') found.push(walk.currentNode.parentElement.outerHTML.slice(0, 300)); }
                 return found;",
                vec![],
            )
            .await?;
        if stray.as_array().is_some_and(|found| !found.is_empty()) {
            return Err(format!("{name}: a missing part is shown as text: {stray}").into());
        }
        let png = self.client.screenshot().await?;
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png)?;
        Ok(())
    }

    pub async fn close(self) -> TestResult {
        self.client.clone().close().await?;
        Ok(())
    }
}

/// The CSS selector of a test id. Test ids are plain ASCII words, so they need no escaping.
pub fn css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

pub async fn choose_in(select: &Element, label: &str) -> TestResult {
    for option in select.find_all(Locator::Css("option")).await? {
        if option.text().await?.trim() == label {
            option.click().await?;
            return Ok(());
        }
    }
    Err(format!("no option {label:?}").into())
}

/// A page printed to PDF, as [`print_to_pdf`] measured it.
pub struct Printed {
    pub pdf: PathBuf,
    /// pdfinfo's "Page size" line, e.g. "841.89 x 595.28 pts (A4)".
    pub size: String,
    pub landscape: bool,
    pub pages: usize,
    pub text: String,
}

/// Prints what the window shows to PDF through headless Chromium (the engine of Windows'
/// WebView2, so this is how the clerk's printer sees it), using the page's own HTML and
/// print stylesheet; saves the PDF and PNG pages next to the screenshots and measures it.
// NOTE: WebKitWebDriver has no "print page" command, hence the detour.
pub async fn print_to_pdf(app: &App, name: &str) -> Result<Printed, Box<dyn std::error::Error>> {
    let html = app.client.execute("return '<!doctype html>' + document.documentElement.outerHTML", vec![]).await?;
    let mut html = html.as_str().unwrap_or_default().to_string();
    // The snapshot is static: its scripts (and the app's IPC) stay out.
    while let (Some(start), Some(end)) = (html.find("<script"), html.find("</script>")) {
        if end < start {
            break;
        }
        html.replace_range(start..end + "</script>".len(), "");
    }
    let folder = screenshot_dir().join("print");
    std::fs::create_dir_all(&folder)?;
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    std::fs::copy(ui.join("styles.css"), folder.join("styles.css"))?;
    std::fs::create_dir_all(folder.join("pages"))?;
    for sheet in std::fs::read_dir(ui.join("pages"))? {
        let sheet = sheet?.path();
        std::fs::copy(&sheet, folder.join("pages").join(sheet.file_name().expect("a file")))?;
    }
    let page = folder.join(format!("{name}.html"));
    std::fs::write(&page, html)?;
    let pdf = screenshot_dir().join(format!("{name}.pdf"));
    let profile = tempfile::tempdir()?;
    let status = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() || !pdf.exists() {
        return Err("chromium did not print the page".into());
    }
    let info = String::from_utf8(Command::new("pdfinfo").arg(&pdf).output()?.stdout)?;
    let field = |key: &str| info.lines().find(|l| l.starts_with(key)).map(|l| l[key.len()..].trim().to_string()).unwrap_or_default();
    let size = field("Page size:");
    let dims: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    Command::new("pdftoppm").args(["-png", "-r", "70"]).arg(&pdf).arg(screenshot_dir().join(name)).status()?;
    let text = String::from_utf8(Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output()?.stdout)?;
    Ok(Printed { pdf, landscape: dims.len() >= 2 && dims[0] > dims[1], pages: field("Pages:").parse().unwrap_or(0), size, text })
}

/// A ledger with last year's and this year's sessions and the county's units.
pub fn two_year_ledger() -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut db = ledger_core::Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    for (year, name) in [("2024", "州十六届人大一次会议"), ("2025", "州十六届人大二次会议")] {
        db.create_session(&ledger_core::model::SessionInput { kind: "建议".into(), level: "州".into(), year: year.into(), name: name.into() })?;
    }
    for (name, short) in [("精河县发展和改革委员会", "县发改委"), ("精河县教育局", "县教育局"), ("精河工业园区管委会", "工业园区")] {
        db.create_unit(&ledger_core::model::UnitInput { name: name.into(), short_name: short.into(), ..Default::default() })?;
    }
    Ok(dir)
}

/// The two-year ledger with this year's items `(number, title, lead unit, assisting unit)`,
/// units by their full names, each led by the county and assigned on 2025年3月17日.
pub fn this_years_items(items: &[(&str, &str, &str, Option<&str>)]) -> Result<(tempfile::TempDir, Vec<i64>), Box<dyn std::error::Error>> {
    let dir = two_year_ledger()?;
    let mut db = ledger_core::Db::open(&dir.path().join(ledger_core::db::DB_FILE_NAME))?;
    let session = db.list_sessions()?.into_iter().find(|s| s.year == 2025).expect("this year's session").id;
    let units = db.list_units()?;
    let unit = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id).expect("a unit of the ledger");
    let mut ids = Vec::new();
    for (number, title, lead, assist) in items {
        let mut assignments = vec![ledger_core::model::AssignmentInput { unit_id: Some(unit(lead)), role: "主办".into(), ..Default::default() }];
        assignments.extend(assist.map(|u| ledger_core::model::AssignmentInput { unit_id: Some(unit(u)), role: "协办".into(), ..Default::default() }));
        ids.push(db.create_item(&ledger_core::model::ItemInput {
            session_id: Some(session), number: number.to_string(), title: title.to_string(), county_role: "主办".into(), assigned_on: "2025-03-17".into(),
            proposers: vec![ledger_core::model::ProposerInput { name: "张宝成".into(), ..Default::default() }], assignments, ..Default::default()
        })?);
    }
    Ok((dir, ids))
}

/// Opens the 答复样稿 screen of the item whose title holds `title`, from the ledger.
pub async fn open_reply(app: &App, title: &str) -> TestResult {
    app.go("ledger").await?;
    app.click_in("item-link", title, "").await?;
    app.on_screen("item").await?;
    app.click("open-reply").await?;
    app.on_screen("reply").await
}
