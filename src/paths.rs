//! Where xfdesk keeps its files: the platform data dir (via `directories`),
//! unless overridden on the command line or in the environment.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

#[derive(Debug, Clone)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
}

impl Paths {
    pub fn discover() -> Paths {
        match ProjectDirs::from("cn", "xfdesk", "xfdesk") {
            Some(dirs) => {
                Paths { data_dir: dirs.data_dir().to_path_buf(), config_file: dirs.config_dir().join("config.toml") }
            }
            // No home directory at all (a bare service account): use the working directory.
            None => Paths { data_dir: PathBuf::from("xfdesk-data"), config_file: PathBuf::from("xfdesk.toml") },
        }
    }

    pub fn default_db(&self) -> PathBuf {
        self.data_dir.join("xfdesk.db")
    }

    pub fn demo_db(&self) -> PathBuf {
        self.data_dir.join("demo.db")
    }

    /// Daily backups go next to the database unless configured elsewhere.
    pub fn backup_dir(db: &Path) -> PathBuf {
        db.parent().map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
    }

    /// The anchors file: beside the configuration, away from the database.
    pub fn anchors_file(&self) -> PathBuf {
        self.config_file.with_file_name("anchors.log")
    }

    /// Logs go next to the database they describe.
    pub fn log_dir(db: &Path) -> PathBuf {
        db.parent().map_or_else(|| PathBuf::from("logs"), |p| p.join("logs"))
    }
}
