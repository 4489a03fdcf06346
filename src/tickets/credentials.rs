//! How socctl signs in to ServiceNow: basic authentication (a user and password) or an
//! OAuth bearer token, both from the environment. Never printed: `Debug` shows only which
//! kind it is.

use std::fmt;

/// The credentials, read by the CLI from SOCCTL_SERVICENOW_USER and
/// SOCCTL_SERVICENOW_PASSWORD, or SOCCTL_SERVICENOW_TOKEN.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// Basic authentication.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer TOKEN` (a token obtained elsewhere).
    Bearer(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { .. } => f.write_str("Credentials::Basic(redacted)"),
            Self::Bearer(_) => f.write_str("Credentials::Bearer(redacted)"),
        }
    }
}

/// The environment gave no usable credentials.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Neither kind was given.
    #[error(
        "no ServiceNow credentials: set SOCCTL_SERVICENOW_USER and SOCCTL_SERVICENOW_PASSWORD (basic authentication), or SOCCTL_SERVICENOW_TOKEN (an OAuth bearer token)"
    )]
    Missing,
    /// Only one half of basic authentication.
    #[error(
        "{0} is set but {1} is not; basic authentication needs both (or set SOCCTL_SERVICENOW_TOKEN instead)"
    )]
    Half(&'static str, &'static str),
    /// Both kinds at once.
    #[error(
        "both SOCCTL_SERVICENOW_TOKEN and SOCCTL_SERVICENOW_USER are set; unset one, so it is clear which account socctl signs in as"
    )]
    Both,
    /// A value a header cannot carry.
    #[error("{0} holds a line break or another control character; set it to the value alone")]
    Control(&'static str),
}

impl Credentials {
    /// The credentials from the three variables' values (empty counts as unset).
    pub fn from_values(
        user: Option<String>,
        password: Option<String>,
        token: Option<String>,
    ) -> Result<Self, CredentialsError> {
        let control = |value: &Option<String>, name| match value {
            Some(v) if v.chars().any(char::is_control) => Err(CredentialsError::Control(name)),
            _ => Ok(()),
        };
        control(&user, "SOCCTL_SERVICENOW_USER")?;
        control(&password, "SOCCTL_SERVICENOW_PASSWORD")?;
        control(&token, "SOCCTL_SERVICENOW_TOKEN")?;
        match (user, password, token) {
            (Some(_), _, Some(_)) => Err(CredentialsError::Both),
            (None, _, Some(token)) => Ok(Self::Bearer(token)),
            (Some(user), Some(password), None) => Ok(Self::Basic { user, password }),
            (Some(_), None, None) => Err(CredentialsError::Half(
                "SOCCTL_SERVICENOW_USER",
                "SOCCTL_SERVICENOW_PASSWORD",
            )),
            (None, Some(_), None) => Err(CredentialsError::Half(
                "SOCCTL_SERVICENOW_PASSWORD",
                "SOCCTL_SERVICENOW_USER",
            )),
            (None, None, None) => Err(CredentialsError::Missing),
        }
    }

    /// The value of the `Authorization` header.
    pub fn authorization(&self) -> String {
        match self {
            Self::Basic { user, password } => {
                format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
            }
            Self::Bearer(token) => format!("Bearer {token}"),
        }
    }

    /// Every secret these credentials hold, for scrubbing from text a server sent back.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Self::Basic { password, .. } => vec![password.clone(), self.authorization()],
            Self::Bearer(token) => vec![token.clone()],
        }
    }
}

/// Standard base64 with padding (RFC 4648), for the basic authentication header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authentication_is_rfc_7617() {
        // RFC 7617 section 2's example: Aladdin / open sesame.
        let basic = Credentials::Basic {
            user: "Aladdin".to_owned(),
            password: "open sesame".to_owned(),
        };
        assert_eq!(basic.authorization(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        // RFC 4648 section 10's test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(format!("{basic:?}"), "Credentials::Basic(redacted)");
    }

    #[test]
    fn credentials_come_whole_from_the_environment() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            Credentials::from_values(None, None, s("t0k")).unwrap(),
            Credentials::Bearer("t0k".to_owned())
        );
        assert!(matches!(
            Credentials::from_values(s("u"), None, None),
            Err(CredentialsError::Half(..))
        ));
        assert!(matches!(
            Credentials::from_values(s("u"), s("p"), s("t")),
            Err(CredentialsError::Both)
        ));
        assert!(matches!(
            Credentials::from_values(None, None, None),
            Err(CredentialsError::Missing)
        ));
        let error = Credentials::from_values(s("u"), s("pa\nss"), None).unwrap_err();
        assert!(!error.to_string().contains("pa\nss"));
    }
}
