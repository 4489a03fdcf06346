//! The accounts directory over the journal's database: logins, lockout, sessions, tokens,
//! and what is stored. Times are given, never read from the clock; 2026-11-23T08:00Z is t0.

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use socctl::access::{Account, Directory, Login, Principal, Role, Scope};
use socctl::journal::accounts::Policy;

use super::store::Stored;

const PASSWORD: &str = "correct horse battery";

fn t0() -> Timestamp {
    "2026-11-23T08:00:00Z".parse().expect("a time")
}

fn at(minutes: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(minutes)
}

fn ana() -> Account {
    Account {
        name: "ana".to_owned(),
        role: Role::Member,
        teams: vec!["monitoring".to_owned(), "csirt".to_owned()],
    }
}

/// A journal with the account `ana` (password [`PASSWORD`]).
fn with_ana() -> (Stored, socctl::journal::accounts::JournalDirectory) {
    let stored = Stored::new();
    let directory = stored.directory(Policy::default());
    assert!(
        directory
            .add_account(&ana(), PASSWORD, t0())
            .expect("adding")
    );
    (stored, directory)
}

fn sha256_hex(text: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

#[test]
fn a_login_is_accepted_only_with_the_right_password_and_unknown_names_look_wrong() {
    let (_stored, directory) = with_ana();
    assert_eq!(
        directory.login("ana", PASSWORD, at(0)).expect("login"),
        Login::Accepted(ana())
    );
    assert_eq!(
        directory
            .login("ana", "correct horse batterx", at(1))
            .expect("login"),
        Login::Refused
    );
    assert_eq!(
        directory.login("bob", PASSWORD, at(2)).expect("login"),
        Login::Refused
    );
    assert_eq!(
        directory.login("ANA", PASSWORD, at(3)).expect("login"),
        Login::Refused
    );
    // The name is taken.
    assert!(
        !directory
            .add_account(&ana(), "another one", at(4))
            .expect("adding")
    );
    // Disabled: refused like a wrong password, and the proxy header finds nobody.
    assert!(
        directory
            .set_disabled("ana", Some(at(5)))
            .expect("disabling")
    );
    assert_eq!(
        directory.login("ana", PASSWORD, at(6)).expect("login"),
        Login::Refused
    );
    assert_eq!(directory.account("ana").expect("account"), None);
    assert!(directory.set_disabled("ana", None).expect("enabling"));
    assert_eq!(directory.account("ana").expect("account"), Some(ana()));
    assert_eq!(
        directory.login("ana", PASSWORD, at(7)).expect("login"),
        Login::Accepted(ana())
    );
}

#[test]
fn five_failures_in_fifteen_minutes_lock_the_name_for_fifteen_minutes() {
    let (_stored, directory) = with_ana();
    for minute in 0..4 {
        assert_eq!(
            directory.login("ana", "wrong", at(minute)).expect("login"),
            Login::Refused,
            "failure {}",
            minute + 1
        );
    }
    // The fifth failure, at minute 4, locks until minute 19.
    assert_eq!(
        directory.login("ana", "wrong", at(4)).expect("login"),
        Login::LockedUntil(at(19))
    );
    // The right password does not open it before then.
    for minute in [5, 10, 18] {
        assert_eq!(
            directory.login("ana", PASSWORD, at(minute)).expect("login"),
            Login::LockedUntil(at(19)),
            "minute {minute}"
        );
    }
    assert_eq!(
        directory.login("ana", PASSWORD, at(19)).expect("login"),
        Login::Accepted(ana())
    );
    // A success starts the count over: four more failures do not lock.
    for minute in 20..24 {
        assert_eq!(
            directory.login("ana", "wrong", at(minute)).expect("login"),
            Login::Refused
        );
    }
    assert_eq!(
        directory.login("ana", PASSWORD, at(24)).expect("login"),
        Login::Accepted(ana())
    );
}

#[test]
fn failures_older_than_the_window_do_not_count() {
    let (_stored, directory) = with_ana();
    // Four failures at minutes 0–3; the window (from minute 0) ends at minute 15, so the
    // four at minutes 15–18 start a new count and lock nothing.
    for minute in [0, 1, 2, 3, 15, 16, 17, 18] {
        assert_eq!(
            directory.login("ana", "wrong", at(minute)).expect("login"),
            Login::Refused,
            "minute {minute}"
        );
    }
    assert_eq!(
        directory.login("ana", PASSWORD, at(19)).expect("login"),
        Login::Accepted(ana())
    );
}

#[test]
fn an_unknown_name_locks_like_a_known_one() {
    let (_stored, directory) = with_ana();
    let answers: Vec<Login> = (0..5)
        .map(|minute| {
            directory
                .login("nobody", "wrong", at(minute))
                .expect("login")
        })
        .collect();
    let known: Vec<Login> = (0..5)
        .map(|minute| directory.login("ana", "wrong", at(minute)).expect("login"))
        .collect();
    assert_eq!(answers, known);
    assert_eq!(answers[4], Login::LockedUntil(at(19)));
}

#[test]
fn a_name_no_account_can_have_is_refused_without_being_stored() {
    let (stored, directory) = with_ana();
    let long = "x".repeat(10_000);
    for name in [long.as_str(), "", "ana ", "a\nb"] {
        for minute in 0..6 {
            assert_eq!(
                directory.login(name, "wrong", at(minute)).expect("login"),
                Login::Refused,
                "{name:?}"
            );
        }
    }
    assert!(stored.table_text("login_failures").is_empty());
}

#[test]
fn concurrent_failures_from_two_servers_are_all_counted() {
    let stored = Stored::new();
    let policy = Policy {
        max_failures: 1000,
        ..Policy::default()
    };
    let first = stored.directory(policy);
    let second = stored.directory(policy);
    assert!(first.add_account(&ana(), PASSWORD, t0()).expect("adding"));
    let start = std::sync::Barrier::new(8);
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let directory = if thread % 2 == 0 { &first } else { &second };
            let start = &start;
            scope.spawn(move || {
                start.wait();
                for _ in 0..5 {
                    assert_eq!(
                        directory.login("ana", "wrong", at(1)).expect("login"),
                        Login::Refused
                    );
                }
            });
        }
    });
    // 8 threads × 5 failures, none lost to a race.
    assert_eq!(stored.failures("ana"), 40);
}

#[test]
fn a_burst_of_concurrent_failures_locks_after_five_checks() {
    let stored = Stored::new();
    let first = stored.directory(Policy::default());
    let second = stored.directory(Policy::default());
    assert!(first.add_account(&ana(), PASSWORD, t0()).expect("adding"));
    let start = std::sync::Barrier::new(20);
    let answers: Vec<Login> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|thread| {
                let directory = if thread % 2 == 0 { &first } else { &second };
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    directory.login("ana", "wrong", at(1)).expect("login")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread"))
            .collect()
    });
    // Only the first five attempts are checked; at most four of them answer `Refused`
    // (the fifth failure locks), every other attempt is locked out.
    let refused = answers.iter().filter(|a| **a == Login::Refused).count();
    assert!(refused <= 4, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|a| matches!(a, Login::Refused | Login::LockedUntil(_))),
        "{answers:?}"
    );
    assert!(matches!(
        second.login("ana", PASSWORD, at(2)).expect("login"),
        Login::LockedUntil(_)
    ));
}

#[test]
fn sessions_end_after_thirty_idle_minutes() {
    let (_stored, directory) = with_ana();
    let opened = directory.open_session(&ana(), at(0)).expect("a session");
    assert_eq!(opened.session.account, ana());
    assert_eq!(opened.session.expires, at(12 * 60));
    // Used at minutes 29 and 58: each use restarts the idle clock.
    for minute in [29, 58] {
        let session = directory
            .session(&opened.secret, at(minute))
            .expect("session");
        assert_eq!(
            session.as_ref().map(|s| &s.csrf),
            Some(&opened.session.csrf)
        );
    }
    // Unused from minute 58 to 88: over.
    assert_eq!(
        directory.session(&opened.secret, at(88)).expect("session"),
        None
    );
    // And it stays over.
    assert_eq!(
        directory.session(&opened.secret, at(60)).expect("session"),
        None
    );
}

#[test]
fn sessions_end_twelve_hours_after_the_login_however_used() {
    let (_stored, directory) = with_ana();
    let opened = directory.open_session(&ana(), at(0)).expect("a session");
    let mut minute = 20;
    while minute < 12 * 60 {
        assert!(
            directory
                .session(&opened.secret, at(minute))
                .expect("session")
                .is_some(),
            "minute {minute}"
        );
        minute += 20;
    }
    assert_eq!(
        directory
            .session(&opened.secret, at(12 * 60))
            .expect("session"),
        None
    );
}

#[test]
fn every_login_gets_a_new_secret_and_logout_ends_only_its_session() {
    let (_stored, directory) = with_ana();
    let one = directory.open_session(&ana(), at(0)).expect("a session");
    let two = directory.open_session(&ana(), at(0)).expect("a session");
    assert_ne!(one.secret, two.secret);
    assert_ne!(one.session.csrf, two.session.csrf);
    // 32 random bytes in hex.
    for secret in [&one.secret, &two.secret, &one.session.csrf] {
        assert_eq!(secret.len(), 64, "{secret}");
        assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()), "{secret}");
    }
    directory.close_session(&one.secret).expect("logout");
    assert_eq!(
        directory.session(&one.secret, at(1)).expect("session"),
        None
    );
    assert!(
        directory
            .session(&two.secret, at(1))
            .expect("session")
            .is_some()
    );
    directory
        .close_session("never issued")
        .expect("an unknown secret is fine");
    assert_eq!(
        directory.session("never issued", at(1)).expect("session"),
        None
    );
}

#[test]
fn tokens_carry_their_scopes_until_they_expire_or_are_revoked() {
    let (_stored, directory) = with_ana();
    let scopes = vec![Scope::Read, Scope::Calendar("csirt".to_owned())];
    let expires = at(90 * 24 * 60);
    let made = directory
        .create_token("ana", &scopes, Some(expires), Some("wall screen"), at(0))
        .expect("a token")
        .expect("ana exists");
    assert!(made.secret.starts_with("socctl_"), "{}", made.secret);
    assert_eq!(
        directory.token(&made.secret, at(1)).expect("token"),
        Some(Principal::Token {
            id: made.id.clone(),
            account: ana(),
            scopes: scopes.clone(),
        })
    );
    assert_eq!(directory.token(&made.secret, expires).expect("token"), None);
    assert_eq!(directory.token("socctl_0000", at(1)).expect("token"), None);
    // Not a token for an account that does not exist.
    assert_eq!(
        directory
            .create_token("bob", &scopes, None, None, at(0))
            .expect("no token"),
        None
    );
    let listed = directory.tokens().expect("tokens");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, made.id);
    assert_eq!(listed[0].scopes, scopes);
    assert_eq!(listed[0].label.as_deref(), Some("wall screen"));
    assert_eq!(listed[0].expires, Some(expires));
    assert!(directory.revoke_token(&made.id, at(2)).expect("revoking"));
    assert_eq!(directory.token(&made.secret, at(3)).expect("token"), None);
    assert_eq!(directory.tokens().expect("tokens")[0].revoked, Some(at(2)));
    assert!(
        !directory
            .revoke_token("no-such-id", at(2))
            .expect("revoking")
    );
}

#[test]
fn no_secret_is_stored_in_clear() {
    let (stored, directory) = with_ana();
    let session = directory.open_session(&ana(), at(0)).expect("a session");
    let token = directory
        .create_token("ana", &[Scope::Record], None, None, at(0))
        .expect("a token")
        .expect("ana exists");
    let everything: String = ["accounts", "sessions", "api_tokens"]
        .iter()
        .flat_map(|table| stored.table_text(table))
        .flatten()
        .collect::<Vec<_>>()
        .join("|");
    for secret in [PASSWORD, session.secret.as_str(), token.secret.as_str()] {
        assert!(
            !everything.contains(secret),
            "{secret} is stored: {everything}"
        );
    }
    // What is stored instead: the secrets' SHA-256 and an Argon2id hash.
    assert!(
        everything.contains(&sha256_hex(&session.secret)),
        "{everything}"
    );
    assert!(
        everything.contains(&sha256_hex(&token.secret)),
        "{everything}"
    );
    assert!(
        everything.contains("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{everything}"
    );
}

#[test]
fn removing_or_disabling_an_account_ends_its_sessions_and_tokens() {
    let (_stored, directory) = with_ana();
    let session = directory.open_session(&ana(), at(0)).expect("a session");
    let token = directory
        .create_token("ana", &[Scope::Read], None, None, at(0))
        .expect("a token")
        .expect("ana exists");
    assert!(
        directory
            .set_disabled("ana", Some(at(1)))
            .expect("disabling")
    );
    assert!(directory.set_disabled("ana", None).expect("enabling"));
    // Enabling again brings neither back.
    assert_eq!(
        directory.session(&session.secret, at(2)).expect("session"),
        None
    );
    assert_eq!(directory.token(&token.secret, at(2)).expect("token"), None);

    let session = directory.open_session(&ana(), at(3)).expect("a session");
    let token = directory
        .create_token("ana", &[Scope::Read], None, None, at(3))
        .expect("a token")
        .expect("ana exists");
    assert!(directory.remove_account("ana").expect("removing"));
    assert!(!directory.remove_account("ana").expect("removing"));
    assert_eq!(
        directory.login("ana", PASSWORD, at(4)).expect("login"),
        Login::Refused
    );
    // A new account of the same name inherits nothing.
    assert!(
        directory
            .add_account(&ana(), PASSWORD, at(5))
            .expect("adding")
    );
    assert_eq!(
        directory.session(&session.secret, at(6)).expect("session"),
        None
    );
    assert_eq!(directory.token(&token.secret, at(6)).expect("token"), None);
    assert!(directory.tokens().expect("tokens").is_empty());
}

#[test]
fn a_new_password_ends_the_sessions_and_replaces_the_old_one() {
    let (_stored, directory) = with_ana();
    let session = directory.open_session(&ana(), at(0)).expect("a session");
    assert!(
        directory
            .set_password("ana", "a brand new one")
            .expect("passwd")
    );
    assert_eq!(
        directory.session(&session.secret, at(1)).expect("session"),
        None
    );
    assert_eq!(
        directory.login("ana", PASSWORD, at(2)).expect("login"),
        Login::Refused
    );
    assert_eq!(
        directory
            .login("ana", "a brand new one", at(3))
            .expect("login"),
        Login::Accepted(ana())
    );
    assert!(
        !directory
            .set_password("bob", "whatever it is")
            .expect("passwd")
    );
}

#[test]
fn a_session_made_through_one_server_is_valid_on_another() {
    let stored = Stored::new();
    let first = stored.directory(Policy::default());
    let second = stored.directory(Policy::default());
    assert!(first.add_account(&ana(), PASSWORD, t0()).expect("adding"));
    let session = first.open_session(&ana(), at(0)).expect("a session");
    assert_eq!(
        second
            .session(&session.secret, at(1))
            .expect("session")
            .map(|s| s.account),
        Some(ana())
    );
    second.close_session(&session.secret).expect("logout");
    assert_eq!(
        first.session(&session.secret, at(2)).expect("session"),
        None
    );
}

on_postgres!(
    a_login_is_accepted_only_with_the_right_password_and_unknown_names_look_wrong,
    five_failures_in_fifteen_minutes_lock_the_name_for_fifteen_minutes,
    failures_older_than_the_window_do_not_count,
    an_unknown_name_locks_like_a_known_one,
    a_name_no_account_can_have_is_refused_without_being_stored,
    concurrent_failures_from_two_servers_are_all_counted,
    a_burst_of_concurrent_failures_locks_after_five_checks,
    sessions_end_after_thirty_idle_minutes,
    sessions_end_twelve_hours_after_the_login_however_used,
    every_login_gets_a_new_secret_and_logout_ends_only_its_session,
    tokens_carry_their_scopes_until_they_expire_or_are_revoked,
    no_secret_is_stored_in_clear,
    removing_or_disabling_an_account_ends_its_sessions_and_tokens,
    a_new_password_ends_the_sessions_and_replaces_the_old_one,
    a_session_made_through_one_server_is_valid_on_another,
);
