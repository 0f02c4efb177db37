#!/usr/bin/env python3
"""The start-up and the memory of the real app with a ledger open on the reminder board
(issue 35's goal of the first screen drawn with data within 1 s of launch; issue 13's of a
main process within 150 MB): starts the release app through tauri-driver, and watches, every
20 ms, for the board drawn with its figures, then for the window settled (the start's check
of the ledger answered; states, not times).
Prints how long that took from the moment the app's process started (read from
/proc/<pid>/stat; the driver's own start before it is left out) and from the request to
the driver, then the resident memory of the app's process and of WebKit's processes, each
split into private memory and mapped files (the libraries, shared between the processes), a
few times a second apart.

Run under a display, e.g. after `cargo build --release -p jianyi-taizhang` and
`cargo run --release -p ledger-bench -- 50000` (which leaves its ledger in
/tmp/ledger-bench/50000):

    cp /tmp/ledger-bench/50000/taizhang.sqlite3 /tmp/memory-ledger/
    dbus-run-session -- xvfb-run -a -s "-screen 0 1366x768x24" \\
        python3 scripts/app-start-and-memory.py target/release/jianyi-taizhang /tmp/memory-ledger 2025-06-16

Standard library only; tauri-driver and WebKitWebDriver as the end-to-end suite uses them.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request

DRIVER = "http://127.0.0.1:4444"
SAMPLES = 5
# The board's headline, or its notice when nothing is due: the first screen drawn with data
# (the window does not wait for the ledger's check to draw it).
BOARD_DRAWN = """
const total = document.querySelector('[data-testid=reminder-total]');
if (total) return total.textContent;
return document.querySelector('[data-testid=no-reminders]') ? '没有提醒' : null;
"""
# The window settled: the start's check of the ledger answered, nothing in flight.
SETTLED = "return Boolean(document.body.dataset.ready && !document.documentElement.dataset.busy);"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(DRIVER + path, method=method, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as answer:
        return json.load(answer)["value"]


def run_script(session, script):
    return call("POST", f"/session/{session}/execute/sync", {"script": script, "args": []})


def wait_for(test, what, limit=300):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(0.02)
    sys.exit(f"没有等到：{what}")


def since_boot():
    """Seconds since the machine started, the clock /proc/<pid>/stat counts a start in."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def started_at(pid):
    """When a process started, in seconds since the machine started."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")


def memory(pid):
    """Resident, private and file-mapped memory of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["RssAnon"], fields["RssFile"]


def app_processes(app):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline") as cmdline:
                command = cmdline.read().split("\0")[0]
        except OSError:
            continue
        if command == app or ("WebKit" in command and "WebDriver" not in command):
            yield os.path.basename(command), pid


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    app, data_dir, today = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    driver = subprocess.Popen(["tauri-driver", "--port", "4444", "--native-port", "4445"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def driver_answers():
            try:
                return urllib.request.urlopen(DRIVER + "/status", timeout=2) is not None
            except OSError:
                return False

        wait_for(driver_answers, "tauri-driver")
        options = {"application": app, "args": ["--data-dir", data_dir, "--today", today]}
        asked = since_boot()
        session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": options}}})["sessionId"]
        board = wait_for(lambda: run_script(session, BOARD_DRAWN), "提醒页画好")
        drawn = since_boot()
        wait_for(lambda: run_script(session, SETTLED), "启动时的检查做完")
        settled = since_boot()
        launched = min(started_at(pid) for name, pid in app_processes(app) if name == os.path.basename(app))
        print("提醒：", board)
        print(f"启动：程序进程开始到提醒页画好（含数据）{drawn - launched:.2f} 秒（从请求 tauri-driver 起 {drawn - asked:.2f} 秒）；"
              f"到启动时的检查做完、窗口静止 {settled - launched:.2f} 秒")
        print("窗口中的表格行数：", run_script(session, "return document.querySelectorAll('tr').length"))
        print("| 秒 | 进程 | 常驻内存 MB | 其中私有 | 其中映射的文件 |")
        print("|---:|---|---:|---:|---:|")
        for second in range(SAMPLES):
            for name, pid in sorted(app_processes(app)):
                resident, private, files = memory(pid)
                print(f"| {second} | {name} | {resident:.1f} | {private:.1f} | {files:.1f} |")
            time.sleep(1)
        call("DELETE", f"/session/{session}")
    finally:
        driver.terminate()


if __name__ == "__main__":
    main()
