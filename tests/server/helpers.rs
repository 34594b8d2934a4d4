//! Starts the whole server on port 0 with a fresh database (SQLite or
//! PostgreSQL, as the run says: `common/database.rs`), as production would
//! run it, and talks to it over HTTP.

#[path = "../common/database.rs"]
pub mod database;

use database::TestDatabase;
use serde_json::{Value, json};
use setup_now::serve as server;
use setup_now::server::{config::Config, state::AppState};
use sqlx::AnyPool;
use std::collections::HashMap;

pub const TOKEN: &str = "dev-commerce-token";
pub const PUBLIC_URL: &str = "https://setup-now.test";

/// The commit cookie [`browser`]`("test")` sends.
pub const COMMIT_COOKIE: &str = "setup_now_commit=test";

/// The stored form of the commit cookie of [`browser`]`("test")`.
pub fn committer() -> String {
    setup_now::server::tokens::hash_token("test")
}

/// What a browser called `name` shows the setup wizard: nobody signed in,
/// no code entered, and a commit cookie of its own (so its replays are its
/// own commits).
pub fn browser(name: &str) -> setup_now::server::store::SetupActor {
    let hash = setup_now::server::tokens::hash_token(name);
    setup_now::server::store::SetupActor {
        signed_in: None,
        proof: None,
        committer_presented: Some(hash.clone()),
        committer_new: hash,
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    /// The same database, for checks in SQL (`$1`-style parameters: both
    /// engines read them).
    pub db: AnyPool,
    /// The server's tasks (stopped by [`TestApp::restart`]).
    tasks: Vec<tokio::task::JoinHandle<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    shutdown: std::sync::Arc<tokio::sync::Notify>,
    env: HashMap<String, String>,
    _database: TestDatabase,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    if std::env::var_os("RUST_LOG").is_some() {
        server::init_tracing();
    }
    let database = TestDatabase::new().await;
    let url = database.url.clone();
    let mut env: HashMap<String, String> = [
        ("SETUP_NOW_MODE", "development"),
        ("SETUP_NOW_ADDR", "127.0.0.1:0"),
        ("SETUP_NOW_DEMO_DATA", "0"),
        ("SETUP_NOW_SCHEDULER_INTERVAL_SECS", "3600"),
        ("SETUP_NOW_PUBLIC_URL", PUBLIC_URL),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.insert("SETUP_NOW_DATABASE_URL".into(), url.clone());
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    // The server's database, also when the caller named another one.
    let url = env["SETUP_NOW_DATABASE_URL"].clone();
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
    let running = server::start(config).await.expect("server starts");
    sqlx::any::install_default_drivers();
    let db = sqlx::pool::PoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .expect("test connection");
    TestApp {
        base: format!("http://{}", running.addr),
        client: reqwest::Client::new(),
        state: running.state,
        db,
        tasks: running.tasks,
        handle: Some(running.handle),
        shutdown: running.shutdown,
        env,
        _database: database,
    }
}

impl TestApp {
    /// What `SETUP_NOW_DATABASE_URL` is for this server.
    pub fn database_url(&self) -> String {
        self.env["SETUP_NOW_DATABASE_URL"].clone()
    }

    /// Stops this server at once, as a crash would; [`TestApp::restart`]
    /// starts it again.
    pub fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.abort();
        }
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }

    /// [`TestApp::restart`] with these variables changed (an empty value
    /// unsets one).
    pub async fn restart_with(&mut self, changes: &[(&str, &str)]) {
        for (k, v) in changes {
            if v.is_empty() {
                self.env.remove(*k);
            } else {
                self.env.insert(k.to_string(), v.to_string());
            }
        }
        self.restart().await;
    }

    /// Stops this server at once, as a crash would, and starts a new one on
    /// the same database and configuration (on a new port).
    pub async fn restart(&mut self) {
        self.stop();
        let env = self.env.clone();
        let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
        let running = server::start(config).await.expect("server restarts");
        self.base = format!("http://{}", running.addr);
        self.state = running.state;
        self.tasks = running.tasks;
        self.handle = Some(running.handle);
        self.shutdown = running.shutdown;
    }

    /// Stops this server as SIGTERM does ([`server::Running::shut_down`]):
    /// what is in flight finishes, the background work hands back what it
    /// holds. [`TestApp::restart`] starts it again.
    pub async fn shut_down(&mut self) -> anyhow::Result<()> {
        let running = server::Running {
            addr: self.base.trim_start_matches("http://").parse()?,
            state: self.state.clone(),
            handle: self.handle.take().expect("the server runs"),
            tasks: std::mem::take(&mut self.tasks),
            shutdown: self.shutdown.clone(),
        };
        running.shut_down().await
    }
}

pub fn order_body(number: &str, start: &str) -> Value {
    json!({
        "order_number": number,
        "offer": "A-WX",
        "subscription_id": format!("Sub-{number}"),
        "requested_start_date": start,
        "provisioning_contact_email": format!("contact-{}@partner.example", number.to_lowercase()),
        "account_rep_email": "rep@cisco.example",
        "partner": { "party_id": format!("P-{number}"), "name": "Partner s.r.o.", "country": "CZ" },
        "customer": { "name": "Zakaznik a.s.", "country": "CZ", "address": "Vinohradska 1, 120 00 Praha" },
        "services": [ { "kind": "meetings", "sku": "A-WX-MTG-ENT", "quantity": 250 },
                      { "kind": "calling",  "sku": "A-WX-CALL-PRO", "quantity": 100 } ]
    })
}

impl TestApp {
    pub async fn post_order(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/orders", self.base))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Places an order and returns its id.
    pub async fn place(&self, number: &str, start: &str) -> String {
        let response = self.post_order(&order_body(number, start)).await;
        assert_eq!(response.status(), 201, "placing {number}");
        response.json::<Value>().await.unwrap()["order_id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn set_clock(&self, now: &str) {
        let r = self
            .client
            .post(format!("{}/api/dev/clock", self.base))
            .json(&json!({ "now": now }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    pub async fn run_scheduler(&self) -> Value {
        let r = self
            .client
            .post(format!("{}/api/dev/scheduler/run", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub async fn mailbox(&self, to: &str) -> Vec<Value> {
        self.client
            .get(format!("{}/api/dev/mailbox", self.base))
            .query(&[("to", to)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The token of the newest "Set Up Now" link sent to `to`.
    pub async fn setup_token(&self, to: &str) -> String {
        let mails = self.mailbox(to).await;
        let href = mails
            .iter()
            .rev()
            .flat_map(|m| m["links"].as_array().cloned().unwrap_or_default())
            .find(|l| l["text"] == "Set Up Now")
            .expect("a Set Up Now link")["href"]
            .as_str()
            .unwrap()
            .to_string();
        href.rsplit('/').next().unwrap().to_string()
    }

    /// A server function called as the browser calls it (form-encoded POST):
    /// its JSON answer, or the status and body of a refusal.
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<T, (u16, String)> {
        self.call_as(None, endpoint, form).await
    }

    /// [`TestApp::call`] with a session cookie.
    pub async fn call_as<T: serde::de::DeserializeOwned>(
        &self,
        cookie: Option<&str>,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<T, (u16, String)> {
        let mut request = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        if (200..300).contains(&status) {
            Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{endpoint}: {e}: {body}")))
        } else {
            Err((status, body))
        }
    }

    /// The live administrator check of a setup link, as the wizard asks it
    /// for someone who set up as the link's own address (`setter`).
    pub async fn check_admin(
        &self,
        token: &str,
        email: &str,
    ) -> Result<setup_now::model::setup::AdminLookup, (u16, String)> {
        self.check_admin_as(None, token, email, "").await
    }

    /// [`TestApp::check_admin`] with a cookie, for someone at `setter`.
    pub async fn check_admin_as(
        &self,
        cookie: Option<&str>,
        token: &str,
        email: &str,
        setter: &str,
    ) -> Result<setup_now::model::setup::AdminLookup, (u16, String)> {
        self.call_as(
            cookie,
            "setup/admin",
            &[("token", token), ("email", email), ("setter", setter)],
        )
        .await
    }

    /// Signs in over HTTP and returns the session cookie to send.
    pub async fn sign_in_cookie(&self, email: &str, password: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/hub/sign-in", self.base))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "signing in as {email}");
        r.headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    /// Gives the user `email` a password directly (what step 7 or a reset
    /// link would do).
    pub async fn give_password(&self, email: &str, password: &str) {
        let hash = setup_now::server::auth::hash_password_now(password).unwrap();
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
            .bind(&hash)
            .bind(email)
            .execute(&self.db)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1, "{email} is a user");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db).await.unwrap()
    }
}

/// The cookie's `name=value` in a response's `Set-Cookie` headers.
pub fn cookie_in(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(String::from)
}

/// The actor of a browser whose proof cookie is `cookie` (`name=value`).
pub fn proven_browser(name: &str, cookie: &str) -> setup_now::server::store::SetupActor {
    let value = cookie.split_once('=').unwrap().1;
    setup_now::server::store::SetupActor {
        proof: Some(setup_now::server::tokens::hash_token(value)),
        ..browser(name)
    }
}

impl TestApp {
    /// The six digits of the newest verification code sent to `to`.
    pub async fn code_for(&self, to: &str) -> String {
        let mails = self.mailbox(to).await;
        let mail = mails
            .iter()
            .rev()
            .find(|m| m["subject"].as_str().unwrap().contains("Verification code"))
            .expect("a verification code email");
        let text = mail["text"].as_str().unwrap();
        let codes: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| run.len() == 6)
            .collect();
        assert_eq!(codes.len(), 1, "one six-digit run in: {text}");
        codes[0].to_string()
    }

    /// "Next" on step 2 for `email`: the server's answer.
    pub async fn next_on_step_two(
        &self,
        cookie: Option<&str>,
        token: &str,
        email: &str,
    ) -> setup_now::model::setup::SetterAnswer {
        self.call_as(cookie, "setup/you", &[("token", token), ("email", email)])
            .await
            .unwrap()
    }

    /// Proves `email` for the link as a browser does: "Next" sends a code,
    /// the code is read from the mailbox and entered. The proof cookie it
    /// leaves (`name=value`).
    pub async fn prove_by_code(&self, token: &str, email: &str) -> String {
        let answer = self.next_on_step_two(None, token, email).await;
        assert_eq!(
            answer.proof,
            setup_now::model::setup::Proof::CodeSent,
            "{answer:?}"
        );
        let code = self.code_for(email).await;
        let r = self
            .client
            .post(format!("{}/api/setup/verify", self.base))
            .form(&[("token", token), ("email", email), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        cookie_in(&r, "setup_now_proof").expect("a proof cookie")
    }
}
