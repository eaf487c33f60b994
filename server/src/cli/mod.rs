//! The command line: `scr-portal` serves; `scr-portal staff …` manages the staff directory;
//! `scr-portal audit verify` checks the audit trail's tamper evidence.

pub mod commands;

use crate::config::Settings;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "scr-portal", version, about = "Shared Care Record Privacy Portal", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (what happens with no command).
    Serve,
    /// Run the database migrations and stop.
    Migrate,
    /// Manage the staff directory.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Manage shared care record areas, their GP practices and member organisations.
    #[command(subcommand)]
    Areas(AreasCommand),
    /// Manage England and Wales bank holidays, which move request deadlines.
    #[command(subcommand)]
    BankHolidays(BankHolidaysCommand),
    /// Manage the systems that send access events (FHIR AuditEvents).
    #[command(subcommand)]
    Sources(SourcesCommand),
    /// Check the audit trail's tamper evidence, or seal it now.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check access events and staff actions against the chain of seals; prints what is wrong
    /// and where, and exits with status 1 if anything is.
    Verify {
        /// One area's chain (its slug, or `portal` for the portal's own); every area's without.
        #[arg(long)]
        area: Option<String>,
        /// Only what was sealed from this day on (YYYY-MM-DD, UK time).
        #[arg(long)]
        since: Option<String>,
        /// A digest published on an area's figures page, which must still be in the chain
        /// (repeat for several).
        #[arg(long = "digest")]
        digests: Vec<String>,
    },
    /// Seal every settled row now (the portal does this every 30 seconds).
    Seal,
}

#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Register a system; prints its client id and secret (the secret once only).
    Add {
        #[arg(long)]
        name: String,
        /// The area whose shared care record this system is: its retention period applies.
        #[arg(long)]
        area: Option<String>,
    },
    /// List the sources, active and revoked, with their latest event.
    List,
    /// Revoke a source: its secret and tokens stop working at once.
    Revoke {
        #[arg(long)]
        client_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BankHolidaysCommand {
    /// List the bank holidays from this year on.
    List,
    /// Add a bank holiday as it is announced.
    Add {
        /// The date, as YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        name: String,
    },
    /// Remove a bank holiday (one moved or cancelled).
    Remove {
        #[arg(long)]
        date: String,
    },
}

/// A GP practice or member organisation of an area.
#[derive(Debug, clap::Args)]
pub struct AreaMember {
    /// The area's slug.
    #[arg(long)]
    pub area: String,
    /// Its ODS code.
    #[arg(long)]
    pub ods: String,
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, clap::Args)]
pub struct PracticeArgs {
    #[command(flatten)]
    pub member: AreaMember,
    /// Its street and town, as written on letters ("12 River Road, Northtown").
    #[arg(long, default_value = "")]
    pub address: String,
    /// Its postcode ("NS1 4AB").
    #[arg(long, default_value = "")]
    pub postcode: String,
}

#[derive(Debug, Subcommand)]
pub enum AreasCommand {
    /// List the areas, with how many member organisations each has.
    List,
    /// Add an area.
    Add {
        /// Lower-case letters, numbers and hyphens, used in web addresses (e.g. north-east-london).
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// Add a GP practice to an area: its patients belong to that area. Patients find it by its
    /// name, address or postcode, so give them.
    AddPractice(PracticeArgs),
    /// Change a GP practice's name, address or postcode.
    SetPractice(PracticeArgs),
    /// Add a member organisation (a controller that feeds the shared care record).
    AddOrganisation(AreaMember),
    /// Rename an area.
    Rename {
        #[arg(long)]
        area: String,
        #[arg(long)]
        name: String,
    },
    /// Set how patients reach the area (its data protection officer): shown with its privacy
    /// notice and in the accessibility statement. Each left out is cleared.
    SetContact {
        #[arg(long)]
        area: String,
        /// Postal address; lines separated by "\n" or commas as written.
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// Set how many months the access events sent by the area's systems are kept.
    SetRetention {
        #[arg(long)]
        area: String,
        #[arg(long)]
        months: i64,
    },
    /// Remove a GP practice from an area.
    RemovePractice(AreaCode),
    /// Remove a member organisation from an area.
    RemoveOrganisation(AreaCode),
    /// Choose what patients see in their access log, and the days to answer a concern.
    SetAccessLog {
        #[arg(long)]
        area: String,
        /// `names` (the person's name and role) or `roles` (the role only).
        #[arg(long)]
        show: String,
        /// Working days the area has to answer a concern about an access.
        #[arg(long, default_value_t = 20)]
        concern_days: i64,
    },
}

/// An area and an ODS code.
#[derive(Debug, clap::Args)]
pub struct AreaCode {
    #[arg(long)]
    pub area: String,
    #[arg(long)]
    pub ods: String,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Give someone a role in an area (adds them to the directory if new).
    Add {
        /// Their subject at the staff sign-in service.
        #[arg(long)]
        subject: String,
        #[arg(long)]
        name: String,
        /// comms_editor, comms_approver, case_worker, ig_lead or admin.
        #[arg(long)]
        role: String,
        /// The area's slug.
        #[arg(long)]
        area: String,
    },
    /// Remove one role (with --role and --area) or the person altogether.
    Remove {
        #[arg(long)]
        subject: String,
        #[arg(long, requires = "area")]
        role: Option<String>,
        #[arg(long, requires = "role")]
        area: Option<String>,
    },
    /// List everyone in the directory with their roles.
    List,
}
