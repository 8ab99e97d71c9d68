//! What the server writes to disk is its user's alone: the data directory is 0700 and the
//! database, its write-ahead log and shared memory, the secret and every other file 0600,
//! whatever the umask it was started with.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::TestDb;
use common::process::start_with;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every file and folder under `dir` with its mode.
fn walk(dir: &Path, found: &mut Vec<(std::path::PathBuf, bool, u32)>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let is_dir = path.is_dir();
        found.push((path.clone(), is_dir, mode(&path)));
        if is_dir {
            walk(&path, found);
        }
    }
}

#[actix_web::test]
async fn the_data_directory_and_its_files_are_private() {
    let db = TestDb::create();
    let data = db.dir.path().join("fresh").join("data");
    let data_text = data.display().to_string();
    // The default SQLite database in a data directory that does not exist yet, a secret the
    // server makes itself, and the demo's QR pictures.
    let server = start_with(
        &db,
        "auto",
        &[
            ("DATABASE_URL", ""),
            ("MASHANGSHUO_SECRET", ""),
            ("MASHANGSHUO_DATA_DIR", data_text.as_str()),
        ],
    );
    let base = format!("http://127.0.0.1:{}", server.port);
    let url = format!("sqlite://{}", data.join("mashangshuo.db").display());
    let pool = mashangshuo::db::connect(&url, 1).expect("pool");
    let code = actix_web::web::block(move || {
        let mut conn = pool.get().expect("connection");
        mashangshuo::db::boxes::OpinionBox::all(&mut conn)
    })
    .await
    .expect("thread")
    .expect("boxes")[0]
        .code
        .clone();
    let client = reqwest::Client::new();
    let sent = common::send_with_photo(&client, &base, &code, "文件权限检查", "photo.jpg").await;
    assert_eq!(sent.status().as_u16(), 201);

    assert_eq!(mode(&data), 0o700, "the data directory");
    for name in [
        "mashangshuo.db",
        "mashangshuo.db-wal",
        "mashangshuo.db-shm",
        "secret.key",
    ] {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}");
    }
    let mut found = Vec::new();
    walk(&data, &mut found);
    assert!(
        found.len() > 5,
        "the demo's QR pictures are there too: {found:?}"
    );
    for (path, is_dir, mode) in found {
        let want = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", path.display());
    }
    server.stop();
}

#[actix_web::test]
async fn an_old_database_readable_by_others_is_made_private() {
    let db = TestDb::create();
    let data = db.dir.path().join("old");
    std::fs::create_dir_all(&data).expect("dir");
    let file = data.join("mashangshuo.db");
    std::fs::write(&file, b"").expect("empty database");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let data_text = data.display().to_string();
    let server = start_with(
        &db,
        "off",
        &[
            ("DATABASE_URL", ""),
            ("MASHANGSHUO_DATA_DIR", data_text.as_str()),
        ],
    );
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&data.join("mashangshuo.db-wal")), 0o600);
    server.stop();
}
