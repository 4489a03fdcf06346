//! [`Principal::may`] over every role × permission × own or other team × token scopes.
//! The expected answers are written out by hand from the rules (viewers read;
//! members also record for their teams; leads also undo and trigger for their teams;
//! admins anything; a token only within its scopes, and never administration; the metrics
//! for every account, and for a token with the `metrics` or the `read` scope). A person's
//! calendar feed is like a team's: every account may read it, a token only with that
//! person's `calendar-person` scope.

use super::*;

/// The permissions of the table's columns: `monitoring` is the account's team, `csirt`
/// another; `max-monitor` and `cy-responder` are two members (people of `roles.yaml`).
fn permissions() -> [Permission<'static>; 11] {
    [
        Permission::Read,
        Permission::Record { team: "monitoring" },
        Permission::Record { team: "csirt" },
        Permission::Lead { team: "monitoring" },
        Permission::Lead { team: "csirt" },
        Permission::Calendar { team: "monitoring" },
        Permission::Calendar { team: "csirt" },
        Permission::PersonCalendar {
            person: "max-monitor",
        },
        Permission::PersonCalendar {
            person: "cy-responder",
        },
        Permission::Metrics,
        Permission::Admin,
    ]
}

fn account(role: Role) -> Account {
    Account {
        name: "ana".to_owned(),
        role,
        // An admin's teams are ignored: give it none.
        teams: if role == Role::Admin {
            Vec::new()
        } else {
            vec!["monitoring".to_owned()]
        },
    }
}

const T: bool = true;
const F: bool = false;
const ROLES: [Role; 4] = [Role::Viewer, Role::Member, Role::Lead, Role::Admin];

fn check(principal: &Principal, expected: [bool; 11], what: &str) {
    for (permission, expected) in permissions().iter().zip(expected) {
        assert_eq!(
            principal.may(permission),
            expected,
            "{what}: {permission:?}"
        );
    }
}

#[test]
fn accounts_may_what_their_role_allows_for_their_teams() {
    // Columns: read, record own, record other, lead own, lead other, calendar own,
    // calendar other, max-monitor's calendar, cy-responder's calendar, metrics, admin.
    let table = [
        (Role::Viewer, [T, F, F, F, F, T, T, T, T, T, F]),
        (Role::Member, [T, T, F, F, F, T, T, T, T, T, F]),
        (Role::Lead, [T, T, F, T, F, T, T, T, T, T, F]),
        (Role::Admin, [T, T, T, T, T, T, T, T, T, T, T]),
    ];
    for (role, expected) in table {
        check(&Principal::Account(account(role)), expected, role.as_str());
    }
}

#[test]
fn tokens_may_only_what_both_their_account_and_their_scopes_allow() {
    let calendar = |team: &str| Scope::Calendar(team.to_owned());
    let person = |id: &str| Scope::PersonCalendar(id.to_owned());
    // Per scope set, one row per role (viewer, member, lead, admin), columns as above.
    let cases: Vec<(Vec<Scope>, [[bool; 11]; 4])> = vec![
        (
            vec![Scope::Read],
            [
                [T, F, F, F, F, F, F, F, F, T, F],
                [T, F, F, F, F, F, F, F, F, T, F],
                [T, F, F, F, F, F, F, F, F, T, F],
                [T, F, F, F, F, F, F, F, F, T, F],
            ],
        ),
        (
            vec![Scope::Record],
            [
                [F, F, F, F, F, F, F, F, F, F, F],
                [F, T, F, F, F, F, F, F, F, F, F],
                [F, T, F, T, F, F, F, F, F, F, F],
                [F, T, T, T, T, F, F, F, F, F, F],
            ],
        ),
        (
            vec![calendar("monitoring")],
            [
                [F, F, F, F, F, T, F, F, F, F, F],
                [F, F, F, F, F, T, F, F, F, F, F],
                [F, F, F, F, F, T, F, F, F, F, F],
                [F, F, F, F, F, T, F, F, F, F, F],
            ],
        ),
        // A person's feed token: that person's feed only, whatever the role; not the
        // person's team's feed, nor another person's.
        (
            vec![person("max-monitor")],
            [
                [F, F, F, F, F, F, F, T, F, F, F],
                [F, F, F, F, F, F, F, T, F, F, F],
                [F, F, F, F, F, F, F, T, F, F, F],
                [F, F, F, F, F, F, F, T, F, F, F],
            ],
        ),
        // A team's feed token does not open the feed of a person of that team.
        (
            vec![calendar("csirt"), person("max-monitor")],
            [
                [F, F, F, F, F, F, T, T, F, F, F],
                [F, F, F, F, F, F, T, T, F, F, F],
                [F, F, F, F, F, F, T, T, F, F, F],
                [F, F, F, F, F, F, T, T, F, F, F],
            ],
        ),
        (
            vec![Scope::Read, Scope::Record, calendar("csirt")],
            [
                [T, F, F, F, F, F, T, F, F, T, F],
                [T, T, F, F, F, F, T, F, F, T, F],
                [T, T, F, T, F, F, T, F, F, T, F],
                [T, T, T, T, T, F, T, F, F, T, F],
            ],
        ),
        // A metrics token: /metrics and nothing else, whatever the role.
        (
            vec![Scope::Metrics],
            [
                [F, F, F, F, F, F, F, F, F, T, F],
                [F, F, F, F, F, F, F, F, F, T, F],
                [F, F, F, F, F, F, F, F, F, T, F],
                [F, F, F, F, F, F, F, F, F, T, F],
            ],
        ),
        (vec![], [[F; 11]; 4]),
    ];
    for (scopes, by_role) in cases {
        for (role, expected) in ROLES.into_iter().zip(by_role) {
            let token = Principal::Token {
                id: "t1".to_owned(),
                account: account(role),
                scopes: scopes.clone(),
            };
            check(
                &token,
                expected,
                &format!("{} token {scopes:?}", role.as_str()),
            );
        }
    }
}

#[test]
fn a_member_of_several_teams_records_for_each_and_leads_none() {
    let principal = Principal::Account(Account {
        name: "bo".to_owned(),
        role: Role::Member,
        teams: vec!["csirt".to_owned(), "monitoring".to_owned()],
    });
    assert!(principal.may(&Permission::Record { team: "csirt" }));
    assert!(principal.may(&Permission::Record { team: "monitoring" }));
    assert!(!principal.may(&Permission::Record {
        team: "soc-oversight"
    }));
    assert!(!principal.may(&Permission::Lead { team: "csirt" }));
}
