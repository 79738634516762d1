//! The command line. `podlint [PATH]...` lints; subcommands inspect the rules.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::k8s::version::KubeVersion;
use crate::output::OutputSpec;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "podlint",
    version,
    about = "Lint and validate Kubernetes manifests: exact locations, did-you-mean hints, offline schemas",
    args_conflicts_with_subcommands = true,
    after_help = "Exit status: 0 no error-level findings, 1 error findings, 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule: id, default severity, category, fix and summary
    Rules,
    /// List the schemas built in: Kubernetes versions, and custom-resource groups with their
    /// kinds, versions and sources
    Schemas,
    /// Show a rule's documentation
    Explain {
        /// The rule id, for example `image-tag`
        rule: String,
    },
    /// Print a shell completion script (for example `podlint completions bash > /etc/bash_completion.d/podlint`)
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff), for example `podlint man > podlint.1`
    Man,
    /// Run the language server on standard input and output, for editors
    Server,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint; `-` reads standard input. Folders are searched for *.yaml,
    /// *.yml and *.json, honouring .gitignore
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,

    /// Output format [default: text; github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to PATH instead of standard output
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Also write the findings in FORMAT to PATH (for example sarif=podlint.sarif); repeatable.
    /// Files are written once linting is done
    #[arg(long = "output-format", value_name = "FORMAT=PATH")]
    pub output_format: Vec<OutputSpec>,

    /// Print how many findings each rule made, most first, instead of the findings
    #[arg(long)]
    pub statistics: bool,

    /// When to color the text output (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Kubernetes version of the target cluster, for example 1.30 [default: newest known]
    #[arg(long, value_name = "X.Y")]
    pub kubernetes_version: Option<KubeVersion>,

    /// The Pod Security Standards level pods are held to, where no Namespace of the run labels
    /// theirs with pod-security.kubernetes.io/enforce, warn or audit [default: baseline]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub pod_security: Option<PodSecurityLevel>,

    /// Name standard input in reports
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Turn schema validation off (field names, types, required fields, values)
    #[arg(long)]
    pub no_schema: bool,

    /// Validate built-in kinds with jsonschema instead of podlint's own schema walk (slower;
    /// the two must agree, and tests hold them to it)
    #[arg(long, hide = true)]
    pub jsonschema_for_builtins: bool,

    /// JSON schemas for custom resources: a folder laid out as kubeconform and the CRDs-catalog
    /// lay theirs out (`{group}/{kind}_{version}.json`, `{kind}_{version}.json`), a kubeconform
    /// template (`{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`), or an
    /// http(s) URL base or template, fetched once and cached; repeatable
    #[arg(long, value_name = "DIR")]
    pub schema_location: Vec<String>,

    /// Where schemas fetched from URL schema locations are kept, so that later runs work
    /// offline [default: $PODLINT_CACHE_DIR, else the user's cache folder + /podlint]
    #[arg(long, value_name = "DIR", alias = "cache")]
    pub cache_dir: Option<PathBuf>,

    /// Render each Helm chart found (a folder with Chart.yaml) with `helm template` and lint the
    /// output; findings name the templates. Needs helm on PATH
    #[arg(long)]
    pub helm: bool,

    /// A values file for every chart rendered (helm --values); repeatable. Implies --helm
    #[arg(long, value_name = "FILE")]
    pub helm_values: Vec<String>,

    /// A value for every chart rendered (helm --set key=value); repeatable. Implies --helm
    #[arg(long, value_name = "KEY=VALUE")]
    pub helm_set: Vec<String>,

    /// ValidatingAdmissionPolicies and their Bindings to evaluate the objects against: a file or
    /// a folder, loaded and not linted; repeatable. Policies in the linted files count too
    #[arg(long, value_name = "PATH")]
    pub policy: Vec<String>,

    /// Use this configuration file instead of the nearest `.podlint.yaml`
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<std::path::PathBuf>,

    /// Ignore configuration files
    #[arg(long)]
    pub isolated: bool,

    /// Run only these rules or categories (comma-separated; replaces the configuration's `select`)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Do not run these rules or categories (comma-separated; adds to the configuration's `ignore`)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Also run the rules still in preview (`podlint rules` marks them)
    #[arg(long)]
    pub preview: bool,

    /// Also lint the manifests in the code blocks of Markdown pages (.md, .markdown, .mdx) found
    /// in folders; a page named on the command line is always linted
    #[arg(long)]
    pub markdown: bool,

    /// The lowest severity that makes the exit status 1 [default: error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when there are findings (2 still reports usage and I/O errors)
    #[arg(long)]
    pub exit_zero: bool,

    /// Apply every safe fix to the files (keeping comments and formatting), then report what
    /// remains. With standard input, the fixed text goes to standard output and the report to
    /// standard error
    #[arg(long)]
    pub fix: bool,

    /// Print a unified diff of what --fix would change, and change nothing (exit 1 when there
    /// is something to fix)
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Also apply fixes that change what is deployed (an API move that adds a selector or
    /// rewrites Ingress backends), with --fix or --diff
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// How many threads lint files in parallel [default: one per core]. The output is the same
    /// whatever the number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Print findings only, without the summary line
    #[arg(short, long)]
    pub quiet: bool,
}

impl LintArgs {
    /// What these flags ask of the settings; `snippets` says whether the chosen reports show
    /// source lines.
    pub fn request(&self, snippets: bool) -> crate::settings::Request {
        crate::settings::Request {
            config: self.config.clone(),
            isolated: self.isolated,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            fail_on: self.fail_on.map(FailOn::severity),
            kubernetes_version: self.kubernetes_version,
            stdin_name: self.stdin_filename.clone(),
            no_schema: self.no_schema,
            jsonschema_for_builtins: self.jsonschema_for_builtins,
            schema_locations: self.schema_location.clone(),
            cache_dir: self.cache_dir.clone(),
            preview: self.preview,
            markdown: self.markdown,
            snippets,
            helm: self.helm || !self.helm_values.is_empty() || !self.helm_set.is_empty(),
            helm_values: self.helm_values.clone(),
            helm_set: self.helm_set.clone(),
            pod_security: self.pod_security.map(PodSecurityLevel::level),
            policies: self.policy.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PodSecurityLevel {
    Privileged,
    Baseline,
    Restricted,
}

impl PodSecurityLevel {
    fn level(self) -> crate::k8s::pod_security::Level {
        use crate::k8s::pod_security::Level;
        match self {
            PodSecurityLevel::Privileged => Level::Privileged,
            PodSecurityLevel::Baseline => Level::Baseline,
            PodSecurityLevel::Restricted => Level::Restricted,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn severity(self) -> crate::finding::Severity {
        match self {
            FailOn::Error => crate::finding::Severity::Error,
            FailOn::Warning => crate::finding::Severity::Warning,
            FailOn::Info => crate::finding::Severity::Info,
        }
    }
}
