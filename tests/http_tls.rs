//! socctl's HTTP client (`socctl::http`) against a TLS server on 127.0.0.1 whose certificate
//! a throw-away CA (made with openssl) signed: refused with the public roots, delivered with
//! the CA file, refused again when the certificate names another host.

#[allow(dead_code)]
mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use socctl::http::{Client, HttpError, Options, Request, Target};
use support::{Tool, require};

/// A CA and a server certificate for `san` (openssl's subjectAltName syntax) in `dir`.
fn make_certificates(dir: &Path, san: &str) {
    let run = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("running openssl");
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=socctl test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=server",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(dir.join("ext.cnf"), format!("subjectAltName={san}\n")).unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
}

/// A TLS server on 127.0.0.1 answering every request with 200 and `ok`; its URL.
fn serve_tls(dir: &Path) -> String {
    let certs: Vec<_> = rustls_pki_types::pem::PemObject::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key: rustls_pki_types::PrivateKeyDer<'static> =
        rustls_pki_types::pem::PemObject::from_pem_file(dir.join("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut reader = BufReader::new(&mut tls);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let _ = tls.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                );
                let _ = tls.flush();
            });
        }
    });
    format!("https://127.0.0.1:{port}/hook/SECRET")
}

fn client(ca_file: Option<&Path>) -> Client {
    Client::new(Options {
        time_limit: Duration::from_secs(10),
        ca_file: ca_file.map(Path::to_owned),
        ..Options::default()
    })
    .unwrap()
}

#[test]
#[ignore = "needs openssl: run scripts/test"]
fn tls_is_verified_against_the_public_roots_or_the_given_ca() {
    require(&[Tool::OpenSsl]);
    let dir = tempfile::tempdir().unwrap();
    make_certificates(dir.path(), "IP:127.0.0.1");
    let url = serve_tls(dir.path());
    let target = Target::parse(&url).unwrap();
    let request = Request::post_json(&target, b"{}".to_vec());

    // The public roots do not know the throw-away CA.
    let error = client(None).send(&request).unwrap_err();
    assert!(matches!(error, HttpError::Tls { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("certificate") || message.contains("Certificate"),
        "{message}"
    );
    assert!(!message.contains("SECRET"), "{message}");
    assert_eq!(error.status(), None);

    // With the CA file, the same server is trusted.
    let response = client(Some(&dir.path().join("ca.pem")))
        .send(&request)
        .unwrap();
    assert_eq!(
        (response.status, response.body.as_slice()),
        (200, &b"ok"[..])
    );
}

#[test]
#[ignore = "needs openssl: run scripts/test"]
fn a_certificate_for_another_host_is_refused_even_by_its_ca() {
    require(&[Tool::OpenSsl]);
    let dir = tempfile::tempdir().unwrap();
    make_certificates(dir.path(), "DNS:hooks.example.com");
    let url = serve_tls(dir.path());
    let target = Target::parse(&url).unwrap();
    let error = client(Some(&dir.path().join("ca.pem")))
        .send(&Request::post_json(&target, b"{}".to_vec()))
        .unwrap_err();
    assert!(matches!(error, HttpError::Tls { .. }), "{error:?}");
    assert!(!error.to_string().contains("SECRET"), "{error}");
}
