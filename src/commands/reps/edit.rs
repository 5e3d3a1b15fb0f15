//! `reps add|edit|remove`: a rep's details, region, role, manager, and departure.

use anyhow::Result;

use crate::commands::{clean_code, non_empty_name, remove_record, set_or_clear, switch};
use crate::context::Context;
use crate::domain::values::Role;
use crate::output::Outcome;
use crate::store::{
    self,
    lookup::{self, Kind},
    reps::{NewRep, RepField},
};

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The rep's code
    pub code: String,
    /// The rep's name
    #[arg(long)]
    pub name: Option<String>,
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// rep, supervisor or manager
    #[arg(long, value_enum)]
    pub role: Option<Role>,
    /// The rep's superior (a rep code)
    #[arg(long, value_name = "CODE|NAME")]
    pub manager: Option<String>,
    /// Phone number
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The rep's code
    pub code: String,
    /// The rep's name
    #[arg(long)]
    pub name: Option<String>,
    /// The region (code or name)
    #[arg(long, value_name = "CODE|NAME")]
    pub region: Option<String>,
    /// Role
    #[arg(long, value_enum)]
    pub role: Option<Role>,
    /// The manager (a rep, code or name)
    #[arg(long, value_name = "CODE|NAME", conflicts_with = "no_manager")]
    pub manager: Option<String>,
    /// Clear the manager
    #[arg(long)]
    pub no_manager: bool,
    /// Phone number
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address
    #[arg(long)]
    pub email: Option<String>,
    /// The rep has left the company (from today)
    #[arg(long, conflicts_with = "active")]
    pub left: bool,
    /// The rep is back
    #[arg(long)]
    pub active: bool,
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The rep's code
    pub code: String,
}

pub(super) fn add(ctx: &Context, args: AddArgs) -> Result<Outcome> {
    let AddArgs {
        code,
        name,
        region,
        role,
        manager,
        phone,
        email,
    } = args;
    let code = clean_code(&code, "rep")?;
    let mut db = ctx.open()?;
    let name = non_empty_name(&ctx.require_text(name, "--name", "Name")?)?;
    let region = ctx.require_choice(
        region,
        "--region",
        "Region",
        &store::regions::names(&db)?
            .into_iter()
            .map(|(c, n)| (c.clone(), format!("{c}  {n}")))
            .collect::<Vec<_>>(),
    )?;
    let role = role.unwrap_or(Role::Rep);
    let tx = db.begin()?;
    if store::reps::exists(&tx, &code)? {
        crate::bail_input!("rep \"{code}\" exists already (change it with `salesops reps edit`)");
    }
    let region = lookup::code(&tx, Kind::Region, &region)?;
    let manager = lookup::code_opt(&tx, Kind::Rep, manager.as_deref())?;
    store::reps::insert(
        &tx,
        &NewRep {
            code: &code,
            name: &name,
            region: &region,
            role,
            manager: manager.as_deref(),
            phone: phone.as_deref(),
            email: email.as_deref(),
        },
    )?;
    ctx.audit(&tx, &format!("rep {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

pub(super) fn edit(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let left = switch(args.left, args.active);
    let name = args.name.as_deref().map(non_empty_name).transpose()?;
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let code = lookup::code(&tx, Kind::Rep, &args.code)?;
    let code = code.as_str();
    let region = lookup::code_opt(&tx, Kind::Region, args.region.as_deref())?;
    let manager = match set_or_clear(args.manager.clone(), args.no_manager) {
        Some(Some(m)) => Some(Some(lookup::code(&tx, Kind::Rep, &m)?)),
        other => other,
    };
    if let Some(Some(m)) = &manager {
        if m == code {
            crate::bail_input!("a rep cannot be their own manager");
        }
    }
    let today = ctx.today.to_string();
    let sets: [(RepField, Option<Option<&str>>); 6] = [
        (RepField::Name, name.as_deref().map(Some)),
        (RepField::Region, region.as_deref().map(Some)),
        (RepField::Manager, manager.as_ref().map(|m| m.as_deref())),
        (RepField::Phone, args.phone.as_deref().map(Some)),
        (RepField::Email, args.email.as_deref().map(Some)),
        (
            RepField::LeftOn,
            left.map(|l| if l { Some(today.as_str()) } else { None }),
        ),
    ];
    for (field, value) in sets {
        if let Some(v) = value {
            store::reps::set_field(&tx, code, field, v)?;
        }
    }
    if let Some(role) = args.role {
        store::reps::set_role(&tx, code, role)?;
    }
    ctx.audit(&tx, &format!("rep {code} edited"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("rep {code} updated")))
}

pub(super) fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let code = &lookup::code(&db, Kind::Rep, code)?;
    let rep = store::reps::must_get(&db, code, ctx.today)?;
    let refs = store::reps::referrers(&db, code)?;
    remove_record(
        ctx,
        &mut db,
        &format!("rep {code}"),
        &refs,
        &format!("reassign them, or record the departure with `salesops reps edit {code} --left`"),
        &format!("remove rep {code} {}", rep.name),
        |tx| {
            store::reps::delete(tx, code)?;
            Ok(format!("rep {code} removed"))
        },
    )
}
