//! The command line: argument parsing and dispatch. Each command lives in its
//! own file and returns the process exit code (INTERFACES.md: 0 success,
//! 1 diagnostics with errors or an objective not met, 2 unusable input).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub(crate) mod calendar;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod eval;
pub(crate) mod fmt;
pub(crate) mod info;
pub(crate) mod report;

#[derive(Debug, Parser)]
#[command(
    name = "sla",
    version,
    about = "Check, compile and evaluate service level agreements"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse and type-check contracts; exit 0 clean (warnings allowed), 1 errors, 2 unreadable.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value = "human")]
        format: DiagnosticFormat,
    },
    /// Lower a contract to its JSON rule set (schema `sla-rules/1`).
    Compile {
        file: PathBuf,
        /// Write the rule set here instead of standard output.
        #[arg(short, long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: DiagnosticFormat,
    },
    /// Explain a diagnostic code (`sla explain E0101`), or list them all.
    Explain { code: Option<String> },
    /// Evaluate a ticket log against a contract (`.sla`) or a compiled rule set (`.json`).
    Eval(EvalArgs),
    /// Write the customer's service report for a month or months: one self-contained HTML file.
    Report(ReportArgs),
    /// Rewrite contracts in the canonical layout (`-`: stdin to stdout); `--check` only lists those that would change.
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; exit 1 and name the files that are not formatted.
        #[arg(long)]
        check: bool,
    },
    /// What changed between two contracts (files, compiled rule sets or git revisions such as `HEAD~1:care.sla`), and with a ticket log which verdicts change; exit 0 same meaning, 1 different.
    Diff(DiffArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp {
        /// Talk over standard input and output: the only transport, and the
        /// default; accepted because LSP clients (vscode-languageclient's
        /// `TransportKind.stdio`, and others) pass it.
        #[arg(long)]
        stdio: bool,
    },
    /// A calendar's weekly hours and the days it is closed in a year, with
    /// their names; or a built-in holiday set's days (`--set US-NY`); or the
    /// list of built-in sets (`--sets`).
    Calendar {
        /// The contract (`.sla` or compiled `.json`).
        file: Option<PathBuf>,
        /// One calendar of the contract (default: every calendar).
        name: Option<String>,
        /// The year to list (default: this year in the contract's time zone).
        #[arg(long)]
        year: Option<i32>,
        /// A built-in holiday set to list instead of a contract's calendars.
        #[arg(long, value_name = "SET", conflicts_with_all = ["file", "sets"])]
        set: Option<String>,
        /// List the built-in holiday sets.
        #[arg(long, conflicts_with = "file")]
        sets: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: DiagnosticFormat,
    },
    /// The contract's header and term: the current term, the next renewal date and the last day to give notice.
    Info {
        file: PathBuf,
        /// The day to reckon from (YYYY-MM-DD); default: today in the contract's time zone.
        #[arg(long)]
        today: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: DiagnosticFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagnosticFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Human,
    Json,
    Csv,
}

/// The inputs beside the contract and the ticket log, and how the logs are
/// read: one set of options for `sla eval`, `sla report` and `sla diff`.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct InputArgs {
    /// Event log (`id,at,status`, optionally `field,value` and `activity`): the tickets' history.
    #[arg(long)]
    pub(crate) events: Option<PathBuf>,
    /// Outage log (`service,start,end`) for availability objectives and their credits.
    #[arg(long)]
    pub(crate) outages: Option<PathBuf>,
    /// Change log (`id,deployed_at`) checked against the contract's change windows.
    #[arg(long)]
    pub(crate) changes: Option<PathBuf>,
    /// Judge as of this instant (RFC 3339): nothing later is seen; default: now.
    #[arg(long)]
    pub(crate) as_of: Option<String>,
    /// Time zone of log timestamps without an offset (default: the contract's).
    #[arg(long)]
    pub(crate) log_tz: Option<String>,
    /// Read the log as this system's export (servicenow, bpi2014, jira, zendesk):
    /// its column names, timestamp forms, empty markers and labels; overrides
    /// the contract's `export` item.
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Rename a column: `--column FIELD=COLUMN` reads FIELD from COLUMN (repeatable).
    #[arg(long = "column", value_name = "FIELD=COLUMN")]
    pub(crate) columns: Vec<String>,
    /// The logs' text encoding: utf-8 (default), latin1 or windows-1252
    /// (any WHATWG label); a log in UTF-8 needs no option.
    #[arg(long, value_name = "ENCODING")]
    pub(crate) encoding: Option<String>,
}

impl InputArgs {
    /// The first of these options given, by its flag (`sla diff` takes them
    /// only with a ticket log).
    pub(crate) fn first_given(&self) -> Option<&'static str> {
        [
            ("--events", self.events.is_some()),
            ("--outages", self.outages.is_some()),
            ("--changes", self.changes.is_some()),
            ("--as-of", self.as_of.is_some()),
            ("--log-tz", self.log_tz.is_some()),
            ("--profile", self.profile.is_some()),
            ("--column", !self.columns.is_empty()),
            ("--encoding", self.encoding.is_some()),
        ]
        .into_iter()
        .find_map(|(flag, given)| given.then_some(flag))
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct EvalArgs {
    /// The contract: a `.sla` file or a compiled `.json` rule set.
    pub(crate) contract: PathBuf,
    /// The ticket log: CSV (`,` or `;`) or JSON Lines (`.jsonl`, `.ndjson`);
    /// may be left out for a contract of availability clauses only.
    pub(crate) tickets: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output format (default: human on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub(crate) format: Option<ReportFormat>,
    /// Print the ledger of one ticket: how each verdict was reached.
    #[arg(long, value_name = "ID")]
    pub(crate) explain: Option<String>,
    /// Treat unreadable rows as fatal (exit 2).
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The contract: a `.sla` file or a compiled `.json` rule set.
    pub(crate) contract: PathBuf,
    /// The ticket log (as for `sla eval`); may be left out for a contract of
    /// availability clauses only.
    pub(crate) tickets: Option<PathBuf>,
    /// Write the HTML report here.
    #[arg(short, long)]
    pub(crate) out: PathBuf,
    /// The month to report on (YYYY-MM); default: the last month that ended by the as-of instant.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub(crate) period: Option<String>,
    /// The first month of a report over several months (with --to).
    #[arg(long, requires = "to")]
    pub(crate) from: Option<String>,
    /// The last month of a report over several months (with --from).
    #[arg(long, requires = "from")]
    pub(crate) to: Option<String>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old contract: a `.sla` file, a compiled `.json` rule set, or `REVISION:PATH` read with `git show`.
    pub(crate) old: String,
    /// The new contract, read the same way.
    pub(crate) new: String,
    /// A ticket log to judge under both contracts (the what-if): which
    /// verdicts, objectives and credits change.
    pub(crate) tickets: Option<PathBuf>,
    // The logs and how they are read, as for `sla eval` (with a ticket log only).
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output format (default: human on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub(crate) format: Option<DiagnosticFormat>,
}

/// Parse the command line and run the command; returns the exit code.
pub fn run() -> i32 {
    dispatch(Cli::parse())
}

/// Run the command that `args` (the program name first) give, as `run`
/// does for the process's own arguments; exit code 2 for arguments clap
/// refuses (after printing why). For running `sla` in process (fuzzing).
pub fn run_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    match Cli::try_parse_from(args) {
        Ok(cli) => dispatch(cli),
        Err(e) => {
            let _ = e.print();
            2
        }
    }
}

fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Check { files, format } => check::check(&files, format),
        Command::Compile { file, out, format } => check::compile(&file, out.as_deref(), format),
        Command::Explain { code } => check::explain(code.as_deref()),
        Command::Eval(args) => eval::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt { files, check } => fmt::run(&files, check),
        Command::Lsp { stdio: _ } => crate::lsp::run(),
        Command::Info {
            file,
            today,
            format,
        } => info::run(&file, today.as_deref(), format),
        Command::Calendar {
            file,
            name,
            year,
            set,
            sets,
            format,
        } => calendar::run(&calendar::Request {
            file: file.as_deref(),
            name: name.as_deref(),
            set: set.as_deref(),
            sets,
            year,
            format,
        }),
    }
}
