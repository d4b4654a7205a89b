//! Which directories are the project nephos runs in.

use std::path::{Path, PathBuf};

/// The workspace a path belongs to: the nearest directory at or above `dir` holding a
/// `Cargo.lock`, canonical (`dir` itself when there is none).
pub(super) fn workspace_of(dir: &Path) -> PathBuf {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(&dir)
        .to_path_buf()
}

/// Whether a workspace is the project in `here` (canonical): `here` or below it, or the
/// workspace `here` is a member of (no `Cargo.lock` of another workspace in between).
/// Below `here`, a directory holding `.git` on the way marks a checkout of its own (a git
/// worktree or clone kept inside the project), which is not the project.
pub(super) fn belongs(workspace: &Path, here: &Path) -> bool {
    if workspace.starts_with(here) {
        return !workspace
            .ancestors()
            .take_while(|d| *d != here)
            .any(|d| d.join(".git").symlink_metadata().is_ok());
    }
    if !here.starts_with(workspace) {
        return false;
    }
    // `here` is below the workspace: another `Cargo.lock` on the way up means `here` is a
    // workspace of its own (for example a checkout nested inside another one).
    let mut at: PathBuf = here.to_path_buf();
    while at != workspace {
        if at.join("Cargo.lock").exists() {
            return false;
        }
        if !at.pop() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::tests::dir;
    use super::*;

    #[test]
    fn the_project_itself_and_its_subdirectories_belong() {
        let a = dir("a");
        assert!(belongs(&a, &a));
        assert!(belongs(&a.join("lambdas"), &a));
    }

    #[test]
    fn a_sibling_checkout_does_not_belong() {
        let (a, b) = (dir("s/a"), dir("s/b"));
        assert!(!belongs(&a, &b));
        assert!(!belongs(&b, &a));
    }

    #[test]
    fn the_enclosing_workspace_belongs_unless_a_lock_file_sits_between() {
        let outer = dir("o");
        let member = dir("o/apps/api");
        assert!(belongs(&outer, &member));
        // A checkout nested in another one has its own Cargo.lock.
        let nested = dir("o/wt/b");
        std::fs::write(nested.join("Cargo.lock"), "").expect("lock written");
        assert!(!belongs(&outer, &nested));
        assert!(!belongs(&outer, &nested.join("src")));
    }

    #[test]
    fn a_checkout_kept_inside_the_project_does_not_belong() {
        let project = dir("g");
        // A workspace of its own below the project (no `.git`) is part of it...
        let infra = dir("g/infra");
        std::fs::write(infra.join("Cargo.lock"), "").expect("lock written");
        assert!(belongs(&infra, &project));
        // ...a git worktree kept below it (`.git` is a file there) is another checkout.
        let worktree = dir("g/.worktrees/b");
        std::fs::write(worktree.join(".git"), "gitdir: ../../.git/worktrees/b\n")
            .expect(".git written");
        assert!(!belongs(&worktree, &project));
        assert!(!belongs(&worktree.join("app"), &project));
        // From inside that checkout, it is the project.
        assert!(belongs(&worktree, &worktree));
    }
}
