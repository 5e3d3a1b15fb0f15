//! `customers import`: customers from CSV, created or updated by code; a tier change is kept in the
//! history.

use std::collections::BTreeMap;

use anyhow::Result;

use super::COLUMNS;
use crate::context::Context;
use crate::domain::customer::Customer;
use crate::domain::values::{Channel, CustomerStatus, Tier};
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowError, RowFail,
    Written,
};
use crate::output::Outcome;
use crate::store::{self, customers::Event, ledger::Ledger, Conn};

pub(super) fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    // The ledger: a tier the file changes moves the customer's figures between tiers.
    let ledger = Ledger::begin(&mut db)?;
    let mut importer = CustomersImport {
        ledger: &ledger,
        today: ctx.today.to_string(),
        seen: BTreeMap::new(),
    };
    let report = import::run(ctx, &ledger, opts, &mut importer)?;
    let tx = ledger.into_tx()?;
    finish_import(ctx, tx, opts, &report, "customers")
}

struct CustomersImport<'l, 'db> {
    ledger: &'l Ledger<'db>,
    today: String,
    seen: BTreeMap<String, u64>,
}

/// A row's cells, validated; None where the file gives nothing.
struct CustomerCells {
    name: Option<String>,
    area: Option<String>,
    city: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    channel: Option<Channel>,
    segment: Option<String>,
    owner: Option<String>,
    tier: Option<Tier>,
    status: Option<CustomerStatus>,
    terms_days: Option<i64>,
    created: Option<String>,
    campaign: Option<String>,
}

impl CustomerCells {
    /// Set what the file gives; leave the rest as it is.
    fn apply(self, c: &mut Customer) {
        let sets = [
            (&mut c.area, self.area),
            (&mut c.city, self.city),
            (&mut c.company, self.company),
            (&mut c.phone, self.phone),
            (&mut c.email, self.email),
            (&mut c.segment, self.segment),
            (&mut c.owner, self.owner),
            (&mut c.campaign, self.campaign),
        ];
        for (field, value) in sets {
            if value.is_some() {
                *field = value;
            }
        }
        let sets = [(&mut c.name, self.name), (&mut c.created, self.created)];
        for (field, value) in sets {
            if let Some(v) = value {
                *field = v;
            }
        }
        if let Some(channel) = self.channel {
            c.channel = channel;
        }
        if let Some(tier) = self.tier {
            c.tier = tier;
        }
        if let Some(status) = self.status {
            c.status = status;
        }
        if self.terms_days.is_some() {
            c.terms_days = self.terms_days;
        }
    }
}

/// The cell of `field`, one of the words `words` lists (the error says it is not a `field`).
fn choice<T: std::str::FromStr>(
    input: &CsvInput,
    field: &str,
    words: fn() -> String,
    errors: &mut Vec<RowError>,
) -> Result<Option<T>, RowError> {
    import::word(input, input.column(field), errors, |v| {
        format!("\"{v}\" is not a {field}: {}", words())
    })
}

impl CustomersImport<'_, '_> {
    fn cells(&self, conn: &Conn, input: &CsvInput) -> Result<CustomerCells, RowFail> {
        let mut errors = Vec::new();
        let text = |field: &str| -> Result<Option<String>, RowError> {
            Ok(input.cell(input.column(field))?.map(str::to_string))
        };
        let c_area = input.column("area");
        let area = match input.cell(c_area)? {
            Some(a) => match store::areas::find(conn, a)? {
                Some(found) => Some(found.code),
                None => {
                    errors.push(input.error(
                        c_area,
                        format!("unknown area \"{a}\" (see `salesops areas list`)"),
                    ));
                    None
                }
            },
            None => None,
        };
        let c_owner = input.column("owner");
        let owner = import::key_text(input, "owner")?.map(str::to_string);
        if let Some(o) = &owner {
            if !store::reps::exists(conn, o)? {
                errors.push(input.error(c_owner, format!("no rep \"{o}\"")));
            }
        }
        let c_campaign = input.column("campaign");
        let campaign = match input.cell(c_campaign)? {
            Some(typed) => match store::campaigns::find(conn, typed) {
                Ok(Some(code)) => Some(code),
                Ok(None) => {
                    errors.push(input.error(c_campaign, format!("no campaign \"{typed}\"")));
                    None
                }
                Err(e) if crate::error::exit_code(&e) == 3 => {
                    errors.push(input.error(c_campaign, e.to_string()));
                    None
                }
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let channel = choice(input, "channel", Channel::words, &mut errors)?;
        let tier = choice(input, "tier", Tier::words, &mut errors)?;
        let status = choice(input, "status", CustomerStatus::words, &mut errors)?;
        let terms_days = input
            .parse(input.column("terms_days"), |t| {
                t.parse::<u32>()
                    .map(i64::from)
                    .map_err(|_| format!("\"{t}\" is not a whole number of days"))
            })
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let created = input
            .date(input.column("created"))
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            })
            .map(|d| d.to_string());
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        Ok(CustomerCells {
            name: import::name_cell(input, "name")?,
            area,
            city: text("city")?,
            company: text("company")?,
            phone: import::key_text(input, "phone")?.map(str::to_string),
            email: text("email")?,
            channel,
            segment: text("segment")?,
            owner,
            tier,
            status,
            terms_days,
            created,
            campaign,
        })
    }
}

impl Importer for CustomersImport<'_, '_> {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["code", "name"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let cells = self.cells(conn, input)?;
        let written = match store::customers::get(conn, &code)? {
            None => {
                for (field, given) in [
                    ("name", cells.name.is_some()),
                    ("area", cells.area.is_some()),
                ] {
                    if !given {
                        let message = format!("{field} is required for a new customer");
                        return Err(input.error(input.column(field), message).into());
                    }
                }
                // What the file does not give, a new customer starts with.
                let mut c = Customer::new(&code, "", &self.today);
                cells.apply(&mut c);
                store::customers::insert(conn, &c)?;
                Written::Created
            }
            Some(old) => {
                let mut c = old.clone();
                cells.apply(&mut c);
                if c == old {
                    Written::Skipped
                } else {
                    store::customers::update(conn, &c)?;
                    if c.tier != old.tier {
                        self.ledger.set_tier(&code, c.tier)?;
                        let note = format!("imported from {}", input.display_name());
                        let event = Event::tier_change(self.today.clone(), note, old.tier, c.tier);
                        store::customers::add_event(conn, &code, &event)?;
                    }
                    Written::Updated
                }
            }
        };
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
