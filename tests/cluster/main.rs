//! Several instances on one PostgreSQL database (`make cluster-test`): three
//! server processes, a real SMTP sink on loopback, 1,000 orders due today,
//! scheduler passes on all three at once; then the same while one instance is
//! killed with SIGKILL in the middle of a pass and restarted. Every invitation
//! must be enqueued exactly once and reach the sink; duplicates are allowed
//! only for an email whose sender died within its lease, and are counted.
//! Prints the figures. Not part of plain `cargo test` (`test = false`): it
//! needs PostgreSQL, which `scripts/with-postgres.sh` provides.
#![cfg(feature = "ssr")]

#[path = "../common/database.rs"]
mod database;
#[path = "../common/process.rs"]
mod process;
#[path = "../common/smtp_sink.rs"]
mod smtp_sink;

use serde_json::Value;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "dev-commerce-token";
const ORDERS: usize = 1_000;
/// Short, so that an email whose sender was killed is sent again soon.
const LEASE_SECS: u64 = 3;

struct Instance {
    port: u16,
    child: Child,
}

fn start(port: u16, database_url: &str, smtp_port: u16, log: &std::path::Path) -> Instance {
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_setup-now"))
        .env("SETUP_NOW_MODE", "development")
        .env("SETUP_NOW_ADDR", format!("127.0.0.1:{port}"))
        .env("SETUP_NOW_DATABASE_URL", database_url)
        .env("SETUP_NOW_PUBLIC_URL", "https://setup-now.test")
        .env("SETUP_NOW_DEMO_DATA", "0")
        .env("SETUP_NOW_SCHEDULER_INTERVAL_SECS", "3600")
        .env("SETUP_NOW_OUTBOX_LEASE_SECS", LEASE_SECS.to_string())
        .env(
            "SETUP_NOW_SMTP_URL",
            format!("smtp://127.0.0.1:{smtp_port}"),
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("server binary starts");
    Instance { port, child }
}

impl Instance {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn healthy(&self, client: &reqwest::Client) {
        process::wait_healthy(client, &self.base()).await;
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn order(number: &str, today: &str) -> Value {
    let contact = format!("contact-{}@partner.example", number.to_lowercase());
    process::order_json(number, &contact, today)
}

/// Places `count` orders named `prefix-N`, spread over the instances.
async fn place(client: &reqwest::Client, bases: &[String], prefix: &str, count: usize) {
    let today = chrono::Utc::now().date_naive().to_string();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in 0..16 {
        let client = client.clone();
        let bases = bases.to_vec();
        let prefix = prefix.to_string();
        let today = today.clone();
        tasks.spawn(async move {
            for i in (chunk..count).step_by(16) {
                let r = client
                    .post(format!("{}/api/orders", bases[i % bases.len()]))
                    .bearer_auth(TOKEN)
                    .json(&order(&format!("{prefix}-{i:05}"), &today))
                    .send()
                    .await
                    .expect("order post");
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

/// One scheduler pass on each base at once; the invitations each reported
/// and the slowest pass's time. A base that does not answer counts 0.
async fn passes(client: &reqwest::Client, bases: &[String]) -> (u64, Duration) {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for base in bases {
        let client = client.clone();
        let url = format!("{base}/api/dev/scheduler/run");
        tasks.spawn(async move {
            let t = Instant::now();
            let invited = match client.post(url).send().await {
                Ok(r) if r.status() == 200 => r
                    .json::<Value>()
                    .await
                    .ok()
                    .and_then(|v| v["invitations"].as_u64())
                    .unwrap_or(0),
                _ => 0,
            };
            (invited, t.elapsed())
        });
    }
    let mut total = 0;
    while let Some(done) = tasks.join_next().await {
        total += done.unwrap().0;
    }
    (total, started.elapsed())
}

async fn scalar(db: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

/// Waits until every email is sent, or fails after a minute.
async fn all_sent(db: &sqlx::PgPool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let pending = scalar(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await;
        if pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{pending} emails still unsent");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// (delivered, distinct Message-IDs, duplicates) at the sink so far.
fn deliveries(received: &std::sync::Mutex<Vec<String>>) -> (usize, usize, usize) {
    let received = received.lock().unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for message in received.iter() {
        let id = smtp_sink::message_id(message).expect("a Message-ID");
        *seen.entry(id).or_default() += 1;
    }
    (received.len(), seen.len(), received.len() - seen.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_invite_each_order_once_and_a_kill_loses_nothing() {
    if database::backend() != database::Backend::Postgres {
        panic!(
            "the cluster test runs on PostgreSQL: SETUP_NOW_TEST_BACKEND=postgres (make cluster-test)"
        );
    }
    let database = database::TestDatabase::new().await;
    let db = sqlx::PgPool::connect(&database.url).await.unwrap();
    let logs = tempfile::tempdir().unwrap();
    let (smtp_port, received) = smtp_sink::smtp_sink().await;
    let client = reqwest::Client::new();
    let ports = [
        process::free_port(),
        process::free_port(),
        process::free_port(),
    ];
    let mut instances: Vec<Instance> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            start(
                *port,
                &database.url,
                smtp_port,
                &logs.path().join(format!("{i}.log")),
            )
        })
        .collect();
    for instance in &instances {
        instance.healthy(&client).await;
    }
    let bases: Vec<String> = instances.iter().map(Instance::base).collect();

    // 1. Three instances, passes at once.
    let t = Instant::now();
    place(&client, &bases, "CL-A", ORDERS).await;
    let placing = t.elapsed();
    let mut invited = 0;
    let mut pass_times = Vec::new();
    while invited < ORDERS as u64 {
        let (n, took) = passes(&client, &bases).await;
        assert!(
            n > 0 || invited == ORDERS as u64,
            "a round of passes invited nobody"
        );
        invited += n;
        pass_times.push(took);
    }
    assert_eq!(
        invited, ORDERS as u64,
        "the passes reported each invitation once"
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await,
        ORDERS as i64,
        "each invitation enqueued exactly once"
    );
    all_sent(&db).await;
    let (delivered, distinct, duplicated) = deliveries(&received);
    assert_eq!(distinct, ORDERS, "each invitation reached the sink");
    println!(
        "cluster run 1: {ORDERS} orders placed in {placing:?} on 3 instances; {invited} invitations enqueued \
         in {} rounds of 3 concurrent passes (slowest round {:?}); {delivered} SMTP deliveries, {distinct} distinct, \
         {duplicated} duplicated",
        pass_times.len(),
        pass_times.iter().max().unwrap()
    );
    assert_eq!(duplicated, 0, "no instance died: no duplicates");

    // Sessions and links work across instances: sign in on one, act on another.
    let hash = setup_now::server::auth::hash_password_now("a shared secret 2026").unwrap();
    sqlx::query(
        "INSERT INTO partner_orgs (id, party_id, name, country, created_at) \
         VALUES ('p-cluster', 'P-CL-A-00000', 'Partner s.r.o.', 'CZ', '2026-01-01T00:00:00Z')",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO users (id, email, partner_org_id, password_hash, created_at) \
         VALUES ('u-cluster', 'someone@partner.example', 'p-cluster', $1, '2026-01-01T00:00:00Z')",
    )
    .bind(&hash)
    .execute(&db)
    .await
    .unwrap();
    let signed_in = client
        .post(format!("{}/api/hub/sign-in", bases[0]))
        .form(&[
            ("email", "someone@partner.example"),
            ("password", "a shared secret 2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let hub: Value = client
        .post(format!("{}/api/hub/view", bases[2]))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        hub["email"], "someone@partner.example",
        "the session of instance 1 holds on instance 3: {hub}"
    );
    let link = {
        let mails: Vec<Value> = client
            .get(format!("{}/api/dev/mailbox", bases[0]))
            .query(&[("to", "contact-cl-a-00007@partner.example")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        mails[0]["links"][0]["href"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let opened = client
        .get(format!("{}/setup/{link}", bases[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        opened.status(),
        200,
        "a link sent by one instance opens on another"
    );

    // 2. The same while an instance is killed mid-pass and restarted.
    place(&client, &bases, "CL-B", ORDERS).await;
    // The victim starts a pass alone and is killed 25 ms into it; then the
    // other two pass at once while it restarts.
    let victim = instances[0].child.id();
    let victim_pass = {
        let client = client.clone();
        let url = format!("{}/api/dev/scheduler/run", bases[0]);
        tokio::spawn(async move { client.post(url).send().await.is_ok() })
    };
    tokio::time::sleep(Duration::from_millis(25)).await;
    // SIGKILL: no shutdown, whatever it was doing.
    let _ = Command::new("kill")
        .args(["-9", &victim.to_string()])
        .status();
    let victim_answered = victim_pass.await.unwrap();
    let _ = instances[0].child.wait();
    let left_by_kill = scalar(&db, "SELECT COUNT(*) FROM orders WHERE invited_at IS NULL").await;
    let (first, _) = passes(&client, &bases[1..]).await;
    instances[0] = start(
        ports[0],
        &database.url,
        smtp_port,
        &logs.path().join("0-restarted.log"),
    );
    instances[0].healthy(&client).await;
    let after_kill = scalar(&db, "SELECT COUNT(*) FROM orders WHERE invited_at IS NULL").await;
    let mut invited = first;
    let mut rounds = 1;
    loop {
        let (n, _) = passes(&client, &bases).await;
        rounds += 1;
        invited += n;
        let left = scalar(&db, "SELECT COUNT(*) FROM orders WHERE invited_at IS NULL").await;
        if left == 0 {
            break;
        }
        assert!(rounds < 20, "{left} orders never invited");
    }
    let total = scalar(&db, "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await;
    assert_eq!(
        total,
        2 * ORDERS as i64,
        "nothing lost, nothing enqueued twice"
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM (SELECT order_id FROM outbox WHERE kind = 'invitation' GROUP BY order_id HAVING COUNT(*) > 1) AS twice").await,
        0
    );
    all_sent(&db).await;
    let (delivered, distinct, duplicated) = deliveries(&received);
    assert_eq!(distinct, 2 * ORDERS, "every invitation reached the sink");
    println!(
        "cluster run 2: {ORDERS} more orders; instance 1 killed with SIGKILL 25 ms into a pass (it answered: \
         {victim_answered}); {} invited by it before the kill, {left_by_kill} left; the two others then invited \
         {first} at once, {after_kill} remained for the rounds after the restart ({rounds} rounds in all, \
         {invited} invited after the kill); \
         {total} invitations enqueued in all (expected {}); {delivered} SMTP deliveries in both runs, \
         {distinct} distinct, {duplicated} duplicated (allowed only for emails whose sender died holding the \
         {LEASE_SECS} s lease)",
        ORDERS as i64 - left_by_kill,
        2 * ORDERS
    );

    // 3. Nobody set them up: 22 days on, each is warned that it will close,
    // and 31 days on it closes, the contact and the account representative
    // told, each once however many instances pass at once.
    for (days, kind, per_order) in [(22, "close_warning", 1), (31, "closed", 2)] {
        let now = (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339();
        let frozen = client
            .post(format!("{}/api/dev/clock", bases[1]))
            .json(&serde_json::json!({ "now": now }))
            .send()
            .await
            .unwrap();
        assert_eq!(frozen.status(), 200);
        let sql = format!("SELECT COUNT(*) FROM outbox WHERE kind = '{kind}'");
        for _ in 0..20 {
            passes(&client, &bases).await;
            if scalar(&db, &sql).await >= (2 * ORDERS * per_order) as i64 {
                break;
            }
        }
        // One more round at once: nothing new.
        passes(&client, &bases).await;
        assert_eq!(
            scalar(&db, &sql).await,
            (2 * ORDERS * per_order) as i64,
            "each {kind} email enqueued once"
        );
        let twice = format!(
            "SELECT COUNT(*) FROM (SELECT order_id, recipient FROM outbox WHERE kind = '{kind}' \
             GROUP BY order_id, recipient HAVING COUNT(*) > 1) AS twice"
        );
        assert_eq!(scalar(&db, &twice).await, 0);
        println!(
            "cluster run 3: {days} days on, rounds of 3 concurrent passes enqueued {} {kind} emails \
             for {} orders, none twice",
            2 * ORDERS * per_order,
            2 * ORDERS
        );
    }
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM orders WHERE closed_at IS NULL").await,
        0
    );
}

/// An orchestrator stops an instance with SIGTERM: it stops accepting,
/// lets requests in flight finish and exits 0 (not killed by the signal).
#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_and_exits_zero() {
    let db = database::TestDatabase::new().await;
    sigterm_while_orders_arrive(&db.url).await;
}

/// The same on SQLite (the single-instance engine).
#[tokio::test]
async fn sigterm_on_sqlite_lets_the_request_in_flight_finish_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("term.db").display());
    sigterm_while_orders_arrive(&url).await;
}

async fn sigterm_while_orders_arrive(database_url: &str) {
    let (smtp_port, _) = smtp_sink::smtp_sink().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("term.log");
    let mut instance = start(process::free_port(), database_url, smtp_port, &log);
    let client = reqwest::Client::new();
    instance.healthy(&client).await;
    // Orders placed while the signal arrives.
    let base = instance.base();
    let posting = tokio::spawn({
        let client = client.clone();
        async move {
            let today = chrono::Utc::now().date_naive().to_string();
            let mut answered = 0;
            for i in 0..200 {
                match client
                    .post(format!("{base}/api/orders"))
                    .bearer_auth(TOKEN)
                    .json(&order(&format!("TERM-{i:03}"), &today))
                    .send()
                    .await
                {
                    Ok(r) => {
                        assert_eq!(r.status(), 201);
                        answered += 1;
                    }
                    // Refused once the listener and the idle connection
                    // are closed.
                    Err(_) => break,
                }
            }
            answered
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pid = instance.child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = instance.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 15 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status:?}");
    let answered = posting.await.unwrap();
    println!("sigterm: {answered} orders answered before the listener closed, exit {status}");
}

/// A PostgreSQL server of this test's own (initdb and pg_ctl in a temporary
/// folder, on a free loopback port), which the test may stop and start.
struct OwnPostgres {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl OwnPostgres {
    fn start() -> OwnPostgres {
        let bin = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .find(|dir| dir.join("initdb").is_file())
            .or_else(|| {
                let mut found: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
                    .ok()?
                    .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
                    .filter(|bin| bin.join("initdb").is_file())
                    .collect();
                found.sort_by_key(|bin| {
                    bin.parent()
                        .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
                });
                found.pop()
            })
            .expect("initdb (Debian's postgresql: make test-tools installs it)");
        let dir = tempfile::tempdir().unwrap();
        let postgres = OwnPostgres {
            bin,
            dir,
            port: process::free_port(),
        };
        if Self::as_root() {
            let owned = Command::new("chown")
                .arg("postgres")
                .arg(postgres.dir.path())
                .status()
                .unwrap();
            assert!(owned.success());
        }
        let data = postgres.dir.path().join("data");
        postgres.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        postgres.pg_ctl("start");
        postgres
    }

    /// initdb and the server refuse to run as root: as the `postgres` user.
    fn as_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let path = self.bin.join(tool);
        let status = if Self::as_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&path)
                .args(args)
                .stdout(Stdio::null())
                .status()
        } else {
            Command::new(&path)
                .args(args)
                .stdout(Stdio::null())
                .status()
        }
        .unwrap();
        assert!(status.success(), "{tool} {args:?}: {status}");
    }

    fn pg_ctl(&self, what: &str) {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("server.log");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let mut args = vec![
            "-D",
            data.to_str().unwrap(),
            "-w",
            "-l",
            log.to_str().unwrap(),
        ];
        if what == "start" {
            args.extend(["-o", options.as_str()]);
        } else {
            args.extend(["-m", "fast"]);
        }
        args.push(what);
        self.run("pg_ctl", &args);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let pg_ctl = self.bin.join("pg_ctl");
        let mut stop = if Self::as_root() {
            let mut runuser = Command::new("runuser");
            runuser.args(["-u", "postgres", "--"]).arg(&pg_ctl);
            runuser
        } else {
            Command::new(&pg_ctl)
        };
        let _ = stop
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

async fn status_of(client: &reqwest::Client, url: &str) -> Option<u16> {
    Some(client.get(url).send().await.ok()?.status().as_u16())
}

/// Polls `url` until it answers `wanted`; panics after `within`.
async fn wait_status(client: &reqwest::Client, url: &str, wanted: u16, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let got = status_of(client, url).await;
        if got == Some(wanted) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{url} answered {got:?}, not {wanted}, for {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The database stops: the instance says it is not ready (and still
/// lives); the database starts again: ready again, the pool reconnecting
/// by itself, with no restart of the instance.
#[tokio::test]
async fn readiness_follows_a_database_that_stops_and_starts_again() {
    let postgres = OwnPostgres::start();
    let (smtp_port, _) = smtp_sink::smtp_sink().await;
    let dir = tempfile::tempdir().unwrap();
    let instance = start(
        process::free_port(),
        &postgres.url(),
        smtp_port,
        &dir.path().join("ready.log"),
    );
    let client = reqwest::Client::new();
    instance.healthy(&client).await;
    let ready = format!("{}/readyz", instance.base());
    assert_eq!(status_of(&client, &ready).await, Some(200));
    let placed = |number: &'static str| {
        let client = client.clone();
        let base = instance.base();
        async move {
            let today = chrono::Utc::now().date_naive().to_string();
            client
                .post(format!("{base}/api/orders"))
                .bearer_auth(TOKEN)
                .json(&order(number, &today))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(placed("READY-1").await, 201);

    postgres.pg_ctl("stop");
    let stopped = Instant::now();
    wait_status(&client, &ready, 503, Duration::from_secs(15)).await;
    let noticed = stopped.elapsed();
    assert_eq!(
        status_of(&client, &format!("{}/healthz", instance.base())).await,
        Some(200),
        "the process lives on"
    );

    postgres.pg_ctl("start");
    let started = Instant::now();
    wait_status(&client, &ready, 200, Duration::from_secs(30)).await;
    assert_eq!(placed("READY-2").await, 201, "serving again");
    println!(
        "readiness: 503 {:.1} s after the database stopped, 200 again {:.1} s after it started",
        noticed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
