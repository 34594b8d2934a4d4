//! Delivery of the outbox over SMTP, against a real SMTP server on loopback.

use crate::helpers::*;
use setup_now::server::{mail::SmtpSender, scheduler::deliver_due};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server (RFC 5321 commands lettre uses) that keeps every
/// message it accepts.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 2.0.0 queued\r\n").await.ok();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn an_email_claimed_before_a_crash_is_sent_once_after_its_lease_runs_out() {
    let app = spawn_app().await;
    app.place("SMTP-1", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    let (port, received) = smtp_sink().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Set Up Now <no-reply@setup-now.test>",
    )
    .unwrap();

    // A worker claims the email and dies before sending it.
    let claimed = app
        .state
        .store
        .claim_outbox(app.state.clock.now(), chrono::Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);

    // While the lease holds, nobody else sends it.
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 0);
    assert!(received.lock().unwrap().is_empty());

    // After the lease, it is delivered, once.
    app.set_clock("2026-12-01T08:06:00Z").await;
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 0);
    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("SMTP-1"), "{}", messages[0]);
    assert!(messages[0].contains("/setup/"));
    let (attempts, sent, error) = app.state.store.outbox_state(claimed[0].id).await.unwrap();
    assert_eq!((attempts, sent, error), (2, true, None));
}

#[tokio::test]
async fn a_failed_delivery_is_recorded_and_retried_later() {
    let app = spawn_app().await;
    app.place("SMTP-2", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    // Nothing listens on this port.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 0);
    let id: i64 = sqlx::query_scalar("SELECT id FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (attempts, sent, error) = app.state.store.outbox_state(id).await.unwrap();
    assert_eq!((attempts, sent), (1, false));
    assert!(error.is_some());
    // Not again before the backoff has passed...
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 0);
    assert_eq!(app.state.store.outbox_state(id).await.unwrap().0, 1);
    // ...and delivered when a server answers after it.
    let (port, received) = smtp_sink().await;
    let sender = SmtpSender::new(
        &format!("smtp://127.0.0.1:{port}"),
        "no-reply@setup-now.test",
    )
    .unwrap();
    app.set_clock("2026-12-01T08:01:00Z").await;
    assert_eq!(deliver_due(&app.state, &sender).await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_server_delivers_new_emails_through_its_own_worker() {
    let (port, received) = smtp_sink().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SETUP_NOW_SMTP_URL", url.as_str())]).await;
    app.place("SMTP-3", "2026-12-01").await;
    app.set_clock("2026-12-01T08:00:00Z").await;
    app.run_scheduler().await;
    for _ in 0..100 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(received.lock().unwrap().len(), 1);
}
