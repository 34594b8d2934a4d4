//! The soak run (`make soak`): one server on loopback driven for five minutes
//! (`SOAK_SECONDS`) at 64 connections (`SOAK_CONNECTIONS`) with a mix of what
//! its users do — wizard pages, live availability checks, order posts and
//! replays, setup commits and their replays, sign-ins with wrong passwords —
//! while it is killed with SIGKILL twice, stopped with SIGTERM once, and restarted on the same database.
//! Then it checks, from the responses and the database:
//!
//! - no 5xx other than 503, and no 503 outside the restarts;
//! - every order accepted (201, or 200 for a replay) is stored exactly once,
//!   and no order number was answered 201 twice;
//! - every commit that answered success is in the database;
//! - no email was enqueued twice;
//! - resident memory in the last minute within 10 % of the first minute
//!   (counted after a 30-second warm-up);
//! - the server logged no panic;
//!
//! and prints `N passed, N failed`. Not part of `cargo test` (`test = false`):
//! it runs for minutes. `SOAK_SERVER_BIN` picks the server binary (the
//! Makefile passes the release build), `SOAK_DATABASE_URL` another database
//! (default: a SQLite file in a temporary directory).
#![cfg(feature = "ssr")]

#[path = "../common/process.rs"]
mod process;
#[path = "../common/smtp_sink.rs"]
mod smtp_sink;

use rand::Rng;
use serde_json::Value;
use setup_now::model::setup::{Draft, Role, SetupContext, WhoSetsUp};
use setup_now::wizard::CommitSetup;
use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "dev-commerce-token";
/// Links prepared before the load starts: each is committed once at most.
const LINKS: usize = 300;
const PASSWORD: &str = "soak password 2026";
/// Seconds of load before the first minute of the memory check.
const WARM_UP_SECS: u64 = 30;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server process, restarted in place after each kill.
struct Server {
    bin: String,
    port: u16,
    database_url: String,
    smtp_port: u16,
    secret_key: String,
    log: std::path::PathBuf,
    child: Option<Child>,
}

impl Server {
    fn spawn(&mut self) -> u32 {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(&self.bin)
            .env("SETUP_NOW_MODE", "development")
            .env("SETUP_NOW_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SETUP_NOW_DATABASE_URL", &self.database_url)
            .env("SETUP_NOW_PUBLIC_URL", "https://setup-now.test")
            .env("SETUP_NOW_SECRET_KEY", &self.secret_key)
            .env("SETUP_NOW_DEMO_DATA", "0")
            .env("SETUP_NOW_SCHEDULER_INTERVAL_SECS", "5")
            .env("SETUP_NOW_OUTBOX_LEASE_SECS", "5")
            .env("SETUP_NOW_CLIENT_IP_HEADER", "x-forwarded-for")
            .env(
                "SETUP_NOW_SMTP_URL",
                format!("smtp://127.0.0.1:{}", self.smtp_port),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        let pid = child.id();
        self.child = Some(child);
        pid
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().unwrap();
        }
    }

    /// Stops the server as an orchestrator does (SIGTERM) and waits for it
    /// to exit: its exit status, or `None` when it still ran after 15 s (then
    /// it is killed).
    async fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn healthy(&self, client: &reqwest::Client) {
        process::wait_healthy(client, &self.base()).await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The five things the mix does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Action {
    WizardPage,
    Availability,
    OrderPost,
    Commit,
    WrongSignIn,
}

/// One answer (or none: the connection failed) and when it came.
struct Outcome {
    action: Action,
    at: Duration,
    status: Option<u16>,
}

/// What the workers share.
struct Shared {
    base: String,
    client: reqwest::Client,
    started: Instant,
    deadline: Instant,
    today: String,
    /// Links not committed yet (link, order number), and those committed
    /// (link, order number, order id, the commit's body).
    fresh: Mutex<Vec<(String, String)>>,
    committed: Mutex<Vec<CommittedLink>>,
    /// Replayed commits answered with the same success, and otherwise.
    replays_same: AtomicUsize,
    replays_different: AtomicUsize,
    /// Order numbers answered 201, and those answered 200 to a replay.
    created: Mutex<Vec<String>>,
    replayed: Mutex<Vec<String>>,
    next_order: AtomicUsize,
    session: String,
    outcomes: Mutex<Vec<Outcome>>,
}

impl Shared {
    fn record(&self, action: Action, status: Option<u16>) {
        let at = self.started.elapsed();
        self.outcomes
            .lock()
            .unwrap()
            .push(Outcome { action, at, status });
    }
}

/// Commits a link as the partner who does the setup, in the browser's
/// encoding of the commit's arguments: a first commit opens the link
/// (`setup/open`) and fills the draft from it; a replay sends the body of the
/// commit that succeeded again, from the same browser (its commit cookie).
/// Answers the status, the result, the body and the browser's commit cookie.
type Committed = (u16, Option<Value>, String, String);

/// A link committed: (link, order number, order id, (body, commit cookie)).
type CommittedLink = (String, String, String, (String, String));

async fn commit(
    shared: &Shared,
    token: &str,
    replay: Option<(String, String)>,
) -> Result<Committed, reqwest::Error> {
    let (body, cookie) = match replay {
        Some((body, cookie)) => (body, cookie),
        None => {
            let r = shared
                .client
                .post(format!("{}/api/setup/open", shared.base))
                .form(&[("token", token)])
                .send()
                .await?;
            if r.status() != 200 {
                return Ok((r.status().as_u16(), None, String::new(), String::new()));
            }
            let ctx: SetupContext = r.json().await?;
            let mut draft = Draft::prefilled(&ctx);
            draft.role = Some(Role::Partner);
            draft.who = Some(WhoSetsUp::Myself);
            draft.admin_email =
                format!("admin-{}@customer.example", ctx.order_number.to_lowercase());
            let body = serde_qs::to_string(&CommitSetup {
                token: token.to_string(),
                draft,
            })
            .unwrap();
            (body, String::new())
        }
    };
    let r = shared
        .client
        .post(format!("{}/api/setup/commit", shared.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie.as_str())
        .body(body.clone())
        .send()
        .await?;
    let status = r.status().as_u16();
    // The first commit leaves its cookie; a replay keeps the one it sent.
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with("setup_now_commit="))
        .map(String::from)
        .unwrap_or(cookie);
    let json = if status == 200 {
        r.json().await.ok()
    } else {
        None
    };
    Ok((status, json, body, cookie))
}

async fn one(shared: &Shared, rng: &mut rand::rngs::StdRng) {
    let pick = rng.random_range(0..100);
    let base = &shared.base;
    let client = &shared.client;
    let (action, result) = if pick < 35 {
        // One lock at a time (the commit branch takes them in the other
        // order): a link not committed yet, or else a committed one.
        let fresh = {
            let fresh = shared.fresh.lock().unwrap();
            (!fresh.is_empty() && rng.random_range(0..2) == 0)
                .then(|| fresh[rng.random_range(0..fresh.len())].0.clone())
        };
        let token = match fresh {
            Some(token) => token,
            None => {
                let committed = shared.committed.lock().unwrap();
                if committed.is_empty() {
                    return;
                }
                committed[rng.random_range(0..committed.len())].0.clone()
            }
        };
        let r = client.get(format!("{base}/setup/{token}")).send().await;
        (Action::WizardPage, r.map(|r| r.status().as_u16()))
    } else if pick < 60 {
        let name = format!("site-{}", rng.random_range(0..100_000));
        let r = client
            .post(format!("{base}/api/service/subdomain"))
            .header("cookie", &shared.session)
            .form(&[("name", name.as_str())])
            .send()
            .await;
        (Action::Availability, r.map(|r| r.status().as_u16()))
    } else if pick < 80 {
        // One post in ten replays an order already accepted.
        let replay = if rng.random_range(0..10) == 0 {
            let created = shared.created.lock().unwrap();
            (!created.is_empty()).then(|| created[rng.random_range(0..created.len())].clone())
        } else {
            None
        };
        let is_replay = replay.is_some();
        let number = replay.unwrap_or_else(|| {
            format!(
                "SOAK-{:06}",
                shared.next_order.fetch_add(1, Ordering::Relaxed)
            )
        });
        let contact = format!("contact-{}@partner.example", number.to_lowercase());
        let r = client
            .post(format!("{base}/api/orders"))
            .bearer_auth(TOKEN)
            .json(&process::order_json(&number, &contact, &shared.today))
            .send()
            .await;
        if let Ok(r) = &r {
            match r.status().as_u16() {
                201 => shared.created.lock().unwrap().push(number),
                200 if is_replay => shared.replayed.lock().unwrap().push(number),
                _ => {}
            }
        }
        (Action::OrderPost, r.map(|r| r.status().as_u16()))
    } else if pick < 90 {
        // Fresh links are spent evenly over the run (so that commits meet the
        // kills); in between, commits are replayed.
        let due = (LINKS as f64 * shared.started.elapsed().as_secs_f64()
            / (shared.deadline - shared.started).as_secs_f64()) as usize;
        let spent = LINKS - shared.fresh.lock().unwrap().len();
        let replay = {
            let committed = shared.committed.lock().unwrap();
            (spent >= due && !committed.is_empty()).then(|| {
                let (t, n, id, body) = &committed[rng.random_range(0..committed.len())];
                (t.clone(), n.clone(), Some((id.clone(), body.clone())))
            })
        };
        let fresh = || {
            shared
                .fresh
                .lock()
                .unwrap()
                .pop()
                .map(|(t, n)| (t, n, None))
        };
        let Some((token, number, earlier)) = replay.or_else(fresh) else {
            return;
        };
        let r = commit(
            shared,
            &token,
            earlier.as_ref().map(|(_, body)| body.clone()),
        )
        .await;
        if let (Some((id, _)), Ok((status, result, ..))) = (&earlier, &r) {
            // A replay of a commit that succeeded: the same success again.
            let same = *status == 200
                && result.as_ref().and_then(|r| r["order_id"].as_str()) == Some(id.as_str());
            if same {
                shared.replays_same.fetch_add(1, Ordering::Relaxed);
            } else {
                shared.replays_different.fetch_add(1, Ordering::Relaxed);
            }
        }
        match &r {
            _ if earlier.is_some() => {}
            Ok((200, Some(result), body, cookie)) => {
                let order_id = result["order_id"].as_str().unwrap_or_default().to_string();
                let mut committed = shared.committed.lock().unwrap();
                if !committed.iter().any(|(t, ..)| *t == token) {
                    committed.push((token, number, order_id, (body.clone(), cookie.clone())));
                }
            }
            // Refused or cut off by a kill: the link may be used again.
            _ => {
                let known = (shared.committed.lock().unwrap().iter()).any(|(t, ..)| *t == token);
                if !known {
                    shared.fresh.lock().unwrap().insert(0, (token, number));
                }
            }
        }
        (Action::Commit, r.map(|(status, ..)| status))
    } else {
        let who = format!("nobody-{}@partner.example", rng.random_range(0..50));
        let r = client
            .post(format!("{base}/api/hub/sign-in"))
            .header(
                "x-forwarded-for",
                format!(
                    "10.0.{}.{}",
                    rng.random_range(0..256),
                    rng.random_range(1..255)
                ),
            )
            .form(&[("email", who.as_str()), ("password", "wrong password 123")])
            .send()
            .await;
        (Action::WrongSignIn, r.map(|r| r.status().as_u16()))
    };
    shared.record(action, result.ok());
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn soak() {
    let seconds = env_number("SOAK_SECONDS", 300);
    let connections = env_number("SOAK_CONNECTIONS", 64) as usize;
    let dir = tempfile::tempdir().unwrap();
    let database_url = std::env::var("SOAK_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/soak.db", dir.path().display()));
    let (smtp_port, received) = smtp_sink::smtp_sink().await;
    let log = std::env::var("SOAK_LOG")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("server.log"));
    let secret_key = {
        use base64::Engine;
        let bytes: [u8; 32] = rand::random();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let mut server = Server {
        bin: std::env::var("SOAK_SERVER_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_setup-now").to_string()),
        port: process::free_port(),
        database_url: database_url.clone(),
        smtp_port,
        secret_key,
        log: log.clone(),
        child: None,
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    let pid = Arc::new(AtomicU32::new(server.spawn()));
    server.healthy(&client).await;
    let base = server.base();
    println!(
        "soak: {seconds} s at {connections} connections against {base}; log {}",
        log.display()
    );

    // Before the load: links to open and commit, and a signed-in user for
    // the availability check.
    let today = chrono::Utc::now().date_naive().to_string();
    for i in 0..=LINKS {
        let number = format!("LINK-{i:04}");
        let r = client
            .post(format!("{base}/api/orders"))
            .bearer_auth(TOKEN)
            .json(&process::order_json(
                &number,
                &format!("link-{i:04}@partner.example"),
                &today,
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    }
    let r = client
        .post(format!("{base}/api/dev/scheduler/run"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut links = Vec::new();
    for i in 0..=LINKS {
        let to = format!("link-{i:04}@partner.example");
        let mails: Vec<Value> = client
            .get(format!("{base}/api/dev/mailbox"))
            .query(&[("to", to.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let href = mails
            .iter()
            .flat_map(|m| m["links"].as_array().cloned().unwrap_or_default())
            .find(|l| l["text"] == "Set Up Now")
            .unwrap_or_else(|| panic!("a Set Up Now link for {to}"))["href"]
            .as_str()
            .unwrap()
            .to_string();
        links.push((
            href.rsplit('/').next().unwrap().to_string(),
            format!("LINK-{i:04}"),
        ));
    }
    let (session_token, _) = links.pop().unwrap();
    let shared = Arc::new(Shared {
        base: base.clone(),
        client: client.clone(),
        started: Instant::now(),
        deadline: Instant::now() + Duration::from_secs(seconds),
        today,
        fresh: Mutex::new(links),
        committed: Mutex::new(Vec::new()),
        replays_same: AtomicUsize::new(0),
        replays_different: AtomicUsize::new(0),
        created: Mutex::new(Vec::new()),
        replayed: Mutex::new(Vec::new()),
        next_order: AtomicUsize::new(0),
        session: String::new(),
        outcomes: Mutex::new(Vec::new()),
    });
    let (status, _, _, commit_cookie) = commit(&shared, &session_token, None).await.unwrap();
    assert_eq!(status, 200, "the session's order commits");
    let r = client
        .post(format!("{base}/api/setup/password"))
        .header("cookie", commit_cookie)
        .form(&[
            ("token", session_token.as_str()),
            ("password", PASSWORD),
            ("confirmation", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the first password");
    let session = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string();
    let shared = {
        let mut s = Arc::into_inner(shared).unwrap();
        s.session = session;
        s.started = Instant::now();
        s.deadline = s.started + Duration::from_secs(seconds);
        Arc::new(s)
    };

    // Resident memory, once a second, of whichever process is serving.
    let samples = Arc::new(Mutex::new(Vec::<(Duration, u64)>::new()));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (samples, sampling, pid, started) = (
            samples.clone(),
            sampling.clone(),
            pid.clone(),
            shared.started,
        );
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid.load(Ordering::Relaxed)) {
                    samples.lock().unwrap().push((started.elapsed(), kib));
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };

    let mut workers = tokio::task::JoinSet::new();
    for w in 0..connections {
        let shared = shared.clone();
        workers.spawn(async move {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(w as u64);
            while Instant::now() < shared.deadline {
                one(&shared, &mut rng).await;
            }
        });
    }

    // Two kills with SIGKILL, at 40 % and 60 % of the run, so that the last
    // process serves as long before the last minute as the first one did
    // before the first (see the memory check), and a stop with SIGTERM
    // between them, as an orchestrator stops it; each restart window lasts
    // from the signal until the server answers again, plus a second.
    let mut windows = Vec::new();
    let mut terminated = None;
    for (fraction, signal) in [(0.4, "SIGKILL"), (0.5, "SIGTERM"), (0.6, "SIGKILL")] {
        let at = shared.started + Duration::from_secs_f64(seconds as f64 * fraction);
        tokio::time::sleep_until(at.into()).await;
        let killed = shared.started.elapsed();
        if signal == "SIGTERM" {
            terminated = Some(server.terminate().await);
        } else {
            server.kill();
        }
        pid.store(server.spawn(), Ordering::Relaxed);
        server.healthy(&client).await;
        let back = shared.started.elapsed();
        println!("soak: stopped at {killed:.1?} with {signal}, serving again at {back:.1?}");
        windows.push((killed, back + Duration::from_secs(1)));
    }
    while let Some(done) = workers.join_next().await {
        done.unwrap();
    }
    sampling.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    // One more pass for the orders placed last, then read the database.
    client
        .post(format!("{base}/api/dev/scheduler/run"))
        .send()
        .await
        .unwrap();
    server.kill();

    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&database_url).await.unwrap();
    let outcomes = std::mem::take(&mut *shared.outcomes.lock().unwrap());
    let during_restart = |at: Duration| windows.iter().any(|(a, b)| at >= *a && at <= *b);

    let mut per_action: HashMap<Action, (u64, u64, u64)> = HashMap::new();
    let mut fives_not_503 = 0;
    let mut five_03_outside = 0;
    let mut lost = 0;
    for o in &outcomes {
        let entry = per_action.entry(o.action).or_default();
        match o.status {
            Some(s) if s < 400 => entry.0 += 1,
            Some(s) if s < 500 => entry.1 += 1,
            Some(_) => entry.2 += 1,
            None => lost += 1,
        }
        match o.status {
            Some(503) if !during_restart(o.at) => five_03_outside += 1,
            Some(s) if s >= 500 && s != 503 => fives_not_503 += 1,
            _ => {}
        }
    }
    println!(
        "soak: {} requests in {seconds} s ({} without an answer, cut off by a kill)",
        outcomes.len(),
        lost
    );
    let mut actions: Vec<_> = per_action.iter().collect();
    actions.sort();
    for (action, (ok, refused, failed)) in actions {
        println!("  {action:?}: {ok} answered 2xx/3xx, {refused} 4xx, {failed} 5xx");
    }

    let mut checks: Vec<(String, bool)> = Vec::new();
    let mut check = |name: String, ok: bool| {
        println!("  [{}] {name}", if ok { "pass" } else { "FAIL" });
        checks.push((name, ok));
    };
    let ran = [
        Action::WizardPage,
        Action::Availability,
        Action::OrderPost,
        Action::Commit,
        Action::WrongSignIn,
    ]
    .iter()
    .all(|a| {
        per_action
            .get(a)
            .is_some_and(|(ok, refused, _)| ok + refused > 0)
    });
    check("every kind of request was answered".into(), ran);
    check(
        format!(
            "the server was stopped three times (SIGKILL, SIGTERM, SIGKILL) and came back: {} restarts",
            windows.len()
        ),
        windows.len() == 3,
    );
    let term_status = terminated.flatten();
    check(
        format!("after SIGTERM it exited 0 within 15 s: {term_status:?}"),
        term_status.is_some_and(|status| status.success()),
    );
    check(
        format!("no 5xx other than 503: {fives_not_503}"),
        fives_not_503 == 0,
    );
    check(
        format!("no 503 outside the restarts: {five_03_outside}"),
        five_03_outside == 0,
    );

    let created = shared.created.lock().unwrap().clone();
    let unique: HashSet<&String> = created.iter().collect();
    check(
        format!(
            "no order number answered 201 twice: {} created, {} distinct",
            created.len(),
            unique.len()
        ),
        unique.len() == created.len(),
    );
    let stored: Vec<(String, i64)> = sqlx::query_as(
        "SELECT order_number, COUNT(*) FROM orders WHERE order_number LIKE 'SOAK-%' GROUP BY order_number",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let stored: HashMap<String, i64> = stored.into_iter().collect();
    let replayed = shared.replayed.lock().unwrap().clone();
    let missing = unique
        .iter()
        .chain(replayed.iter().collect::<Vec<_>>().iter())
        .filter(|n| stored.get(n.as_str()) != Some(&1))
        .count();
    check(
        format!(
            "every accepted order stored exactly once: {} accepted ({} replays answered 200), {missing} missing or doubled",
            unique.len(),
            replayed.len()
        ),
        missing == 0 && !unique.is_empty(),
    );

    let committed = shared.committed.lock().unwrap().clone();
    let mut not_persisted = 0;
    for (_, number, order_id, _) in &committed {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT id, setup_at FROM orders WHERE order_number = $1")
                .bind(number)
                .fetch_optional(&db)
                .await
                .unwrap();
        if !matches!(&row, Some((id, Some(_))) if id == order_id) {
            not_persisted += 1;
        }
    }
    check(
        format!(
            "every commit that answered success is in the database: {} commits, {not_persisted} missing",
            committed.len()
        ),
        not_persisted == 0 && !committed.is_empty(),
    );

    let same = shared.replays_same.load(Ordering::Relaxed);
    let different = shared.replays_different.load(Ordering::Relaxed);
    check(
        format!(
            "every replayed commit answered the same success: {same} replays, {different} otherwise"
        ),
        different == 0 && same > 0,
    );

    let doubled: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT order_id, kind, recipient FROM outbox \
         GROUP BY order_id, kind, recipient HAVING COUNT(*) > 1) AS doubled",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let enqueued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&db)
        .await
        .unwrap();
    let delivered = received.lock().unwrap().len();
    check(
        format!(
            "no email enqueued twice: {enqueued} enqueued ({delivered} delivered), {doubled} doubled"
        ),
        doubled == 0 && enqueued > 0,
    );

    let samples = samples.lock().unwrap().clone();
    let end = samples.last().map_or(Duration::ZERO, |(t, _)| *t);
    // A server's memory grows while its caches fill (SQLite's page cache,
    // prepared statements, the allocator's pools) during its first half
    // minute; the first minute is counted after that warm-up, and the last
    // process has served as long by the last minute as the first one had.
    let warm_up = Duration::from_secs(WARM_UP_SECS.min(seconds / 10));
    let first = median(
        samples
            .iter()
            .filter(|(t, _)| *t >= warm_up && *t < warm_up + Duration::from_secs(60))
            .map(|(_, k)| *k)
            .collect(),
    );
    let last = median(
        samples
            .iter()
            .filter(|(t, _)| *t + Duration::from_secs(60) >= end)
            .map(|(_, k)| *k)
            .collect(),
    );
    let series: Vec<String> = (0..=end.as_secs() / 30)
        .map(|w| {
            let window = samples.iter().filter(|(t, _)| t.as_secs() / 30 == w);
            format!(
                "{:.0}",
                median(window.map(|(_, k)| *k).collect()) as f64 / 1024.0
            )
        })
        .collect();
    println!(
        "soak: resident memory (MB), median of each half minute: {}",
        series.join(" ")
    );
    let ratio = last as f64 / first.max(1) as f64;
    check(
        format!(
            "resident memory, median of the last minute within 10 % of the first after a {}-s warm-up: {:.1} MB then {:.1} MB ({:+.1} %)",
            warm_up.as_secs(),
            first as f64 / 1024.0,
            last as f64 / 1024.0,
            (ratio - 1.0) * 100.0
        ),
        (0.9..=1.1).contains(&ratio),
    );

    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let panics = logged.matches("panicked").count();
    check(format!("the server logged no panic: {panics}"), panics == 0);

    let passed = checks.iter().filter(|(_, ok)| *ok).count();
    let failed = checks.len() - passed;
    println!("soak: {passed} passed, {failed} failed");
    assert_eq!(
        failed,
        0,
        "soak checks failed; the server's log: {}",
        log.display()
    );
}
