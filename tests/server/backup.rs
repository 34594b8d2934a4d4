//! The backup and restore commands `docs/production.md` gives
//! (`scripts/backup.sh`, `scripts/restore.sh`), on the engine of the run.

use crate::helpers::*;
use std::path::Path;
use std::process::Command;

/// Runs one of the scripts against `url`, and fails the test with its output
/// when it fails.
fn script(name: &str, url: &str, file: &Path) {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(format!("{root}/scripts/{name}"))
        .arg(file)
        .env("SETUP_NOW_DATABASE_URL", url)
        .output()
        .unwrap_or_else(|e| panic!("running scripts/{name}: {e}"));
    assert!(
        output.status.success(),
        "scripts/{name} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn order_status(app: &TestApp, number: &str) -> u16 {
    app.client
        .get(format!("{}/api/orders/{number}", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_restore_brings_back_the_backup_and_nothing_written_after_it() {
    let mut app = spawn_app().await;
    app.place("BACKUP-1", "2027-03-01").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("setup-now.backup");

    // Taken while the server runs.
    script("backup.sh", &app.database_url(), &file);
    app.place("BACKUP-2", "2027-03-01").await;
    assert_eq!(order_status(&app, "BACKUP-2").await, 200);

    app.stop();
    script("restore.sh", &app.database_url(), &file);
    app.restart().await;
    assert_eq!(
        order_status(&app, "BACKUP-1").await,
        200,
        "from before the backup"
    );
    assert_eq!(order_status(&app, "BACKUP-2").await, 404, "from after it");
    // The restored database takes new orders (its migrations and sequences
    // came back whole).
    app.place("BACKUP-3", "2027-03-01").await;
}
