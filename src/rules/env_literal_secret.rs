use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::{Node, Resolved};

pub struct EnvLiteralSecret;

static META: RuleMeta = RuleMeta {
    id: "env-literal-secret",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "An environment variable named like a credential has its value written in the manifest",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/env-literal-secret.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for EnvLiteralSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        for container in template.containers() {
            for var in container.node.get("env").map(Node::items).unwrap_or(&[]) {
                let Some(name) = var.get("name").and_then(Node::scalar_text) else { continue };
                let Some(value) = var.entry("value") else { continue };
                if !is_credential_name(name) || !is_literal_credential(&value.value) {
                    continue;
                }
                // The value itself is never repeated: reports end up in CI logs.
                cx.report(
                    &META,
                    value.key.span,
                    format!("env var `{name}` of {} holds a literal credential", container.describe()),
                )
                .help(format!(
                    "whoever can read the manifest can read it: put it in a Secret and replace `value:` with\n\
                     valueFrom:\n  secretKeyRef:\n    name: {}\n    key: {name}",
                    secret_name(container.name)
                ));
            }
        }
    }
}

fn secret_name(container: Option<&str>) -> String {
    format!("{}-secrets", container.unwrap_or("app"))
}

/// `DB_PASSWORD`, `db-password`, `dbPassword`, `DBPassword` and `db.password` are the same words.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            words.push(std::mem::take(&mut current));
            previous = None;
            continue;
        }
        match previous {
            // `dbPassword`: a capital after a small letter or digit starts a word.
            Some(p) if c.is_uppercase() && (p.is_lowercase() || p.is_ascii_digit()) => {
                words.push(std::mem::take(&mut current));
            }
            // `DBPassword`: the last capital of a run starts the word its small letters end.
            Some(p) if c.is_lowercase() && p.is_uppercase() && current.chars().count() > 1 => {
                let last = current.pop();
                words.push(std::mem::take(&mut current));
                current.extend(last);
            }
            _ => {}
        }
        previous = Some(c);
        current.extend(c.to_uppercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

/// Whether a name says its value is a credential. Only the last word (or two) counts: words
/// after the credential word qualify it into something else (`PASSWORD_FILE`, `TOKEN_TTL`,
/// `SECRET_NAME`, `API_KEY_HEADER` are a path, a duration, a name and a header).
pub fn is_credential_name(name: &str) -> bool {
    let words = words(name);
    let Some((last, init)) = words.split_last() else { return false };
    let previous = init.last().map(String::as_str);
    match last.as_str() {
        "PASSWORD" | "PASSWD" | "PASSPHRASE" | "CREDENTIALS" | "APIKEY" | "SECRETKEY" | "ACCESSKEY" | "PRIVATEKEY"
        | "CLIENTSECRET" | "AUTHTOKEN" => true,
        // Alone, `PWD` is the shell's working folder and `PASS` is anything.
        "PWD" | "PASS" => previous.is_some(),
        // etcd's initial cluster token only tells clusters apart; it is not secret.
        "TOKEN" => !(previous == Some("CLUSTER") && init.len() >= 2 && init[init.len() - 2] == "INITIAL"),
        // Secrets that hold TLS certificates or registry logins are named, not written: the value
        // of `TLS_SECRET` is the name of a Secret object.
        "SECRET" => !matches!(previous, Some("TLS" | "PULL" | "CERT" | "CERTIFICATE")),
        "KEY" => matches!(previous, Some("API" | "SECRET" | "ACCESS" | "PRIVATE" | "ENCRYPTION" | "SIGNING")),
        // Vault AppRole's secret ID is the password half of its login.
        "ID" => previous == Some("SECRET"),
        _ => false,
    }
}

/// Whether a value is a credential written out, rather than a switch, a path, a reference the
/// container expands, a placeholder a tool fills in, or a pointer into a secret manager.
pub fn is_literal_credential(value: &Node<'_>) -> bool {
    let Some(scalar) = value.as_scalar() else { return false };
    if matches!(scalar.resolved, Resolved::Null | Resolved::Bool(_)) {
        return false;
    }
    let text = scalar.text.trim();
    let switch = ["true", "false", "yes", "no", "on", "off", "y", "n", "0", "1", "enabled", "disabled"];
    if text.is_empty() || switch.iter().any(|s| text.eq_ignore_ascii_case(s)) {
        return false;
    }
    let path = ["/", "./", "../", "~/"].iter().any(|p| text.starts_with(p));
    // `$(VAR)` is expanded by the kubelet from another variable, which is where the secret is.
    let reference = text.find("$(").is_some_and(|i| text[i..].contains(')'));
    let placeholder = text.find("${").is_some_and(|i| text[i..].contains('}'))
        || text.contains("{{")
        || (text.starts_with('<') && text.ends_with('>'))
        || (text.starts_with("#{") && text.ends_with("}#"))
        || (text.len() > 4 && text.starts_with("__") && text.ends_with("__"));
    // Secret-manager references that a webhook or the app resolves at run time (bank-vaults,
    // vals, berglas, AWS Secrets Manager and SSM, 1Password).
    let manager = ["vault:", "ref+", "berglas://", "sm://", "arn:aws:secretsmanager:", "arn:aws:ssm:", "op://"]
        .iter()
        .any(|p| text.starts_with(p));
    !(path || reference || placeholder || manager)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    #[test]
    fn credential_names() {
        for name in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "db-password",
            "dbPassword",
            "DB_PASS",
            "DB_PWD",
            "VAULT_TOKEN",
            "GITHUB_AUTH_TOKEN",
            "JWT_SECRET",
            "CLIENT_SECRET",
            "APIKEY",
            "GOOGLE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "MINIO_SECRET_KEY",
            "SSH_PRIVATE_KEY",
            "VAULT_SECRET_ID",
            "app.credentials",
            "K3S_TOKEN",
            "MySQLPassword",
            "apiKey",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "DB_PASSWORD_PATH",
            "TOKEN_TTL",
            "SECRET_NAME",
            "ALLOYDB_SECRET_NAME",
            "API_KEY_HEADER",
            "SECRET_USERNAME",
            "PWD",
            "PASS",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "CLIENT_ID",
            "KEY",
            "SPECIAL_LEVEL_KEY",
            "ETCD_INITIAL_CLUSTER_TOKEN",
            "TLS_SECRET",
            "IMAGE_PULL_SECRET",
            "BYPASS",
        ] {
            assert!(!is_credential_name(name), "{name}");
        }
    }

    fn literal(value: &str) -> bool {
        let text = format!("value: {value}\n");
        let loaded = load(&text, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("a mapping");
        is_literal_credential(root.get("value").expect("a value"))
    }

    #[test]
    fn literal_values() {
        for value in ["hunter2", "'s3cr3t'", "\"123456\"", "changeme", "abc$def"] {
            assert!(literal(value), "{value}");
        }
        for value in [
            "''",
            "true",
            "\"yes\"",
            "\"1\"",
            "/etc/secrets/db",
            "$(DB_PASSWORD)",
            "\"${DB_PASSWORD}\"",
            "\"{{ .Values.password }}\"",
            "<your-password>",
            "\"#{DbPassword}#\"",
            "__DB_PASSWORD__",
            "vault:secret/data/db#password",
            "ref+awsssm://db/password",
            "~",
        ] {
            assert!(!literal(value), "{value}");
        }
    }
}
