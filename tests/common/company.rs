//! Small test companies, declared rather than typed out: each step is one `salesops` command (or an SQL
//! batch, or a file import) and `build` runs them in the order written on a fresh `init`ed database, so
//! the ids, figures and audit lines a test asserts come out the same every time.
//!
//! ```ignore
//! Company::new()
//!     .region("E", "East")
//!     .assign("E", &["上海", "江苏"])
//!     .rep("E01", "E01", "E").role("manager")
//!     .product("TEA-1", "Tea", "100", "40")
//!     .customer("C1", "One", "上海").owner("E01")
//!     .build()
//! ```

use super::Env;

enum Step {
    /// A command's arguments (without the program name).
    Run(Vec<String>),
    /// An SQL batch on the file itself, for what no command writes (back-dated rows).
    Sql(String),
    /// A file of `content` named `file` in the test folder, then `salesops WHAT import FILE`.
    Import {
        what: String,
        file: String,
        content: String,
    },
}

/// A company being declared; `build` makes it.
#[must_use = "a Company does nothing until `build`"]
pub struct Company {
    steps: Vec<Step>,
}

impl Default for Company {
    fn default() -> Self {
        Company::new()
    }
}

impl Company {
    pub fn new() -> Company {
        Company { steps: Vec::new() }
    }

    /// Region E (上海, 江苏) with its manager E01, and product TEA-1 at 100 (cost 40): where the
    /// orders-import and the reliability companies start.
    pub fn east() -> Company {
        Company::new()
            .region("E", "East")
            .assign("E", &["上海", "江苏"])
            .rep("E01", "E01", "E")
            .role("manager")
            .product("TEA-1", "Tea", "100", "40")
    }

    /// Any command.
    pub fn run(mut self, args: &[&str]) -> Company {
        self.steps
            .push(Step::Run(args.iter().map(|a| a.to_string()).collect()));
        self
    }

    /// More flags for the command just declared (`--channel online`, `--floor-price 90`…).
    pub fn with(mut self, flags: &[&str]) -> Company {
        match self.steps.last_mut() {
            Some(Step::Run(args)) => args.extend(flags.iter().map(|f| f.to_string())),
            _ => panic!("Company::with({flags:?}) follows a command"),
        }
        self
    }

    /// `regions add CODE --name NAME`
    pub fn region(self, code: &str, name: &str) -> Company {
        self.run(&["regions", "add", code, "--name", name])
    }

    /// `regions add CODE --name NAME --parent PARENT`
    pub fn sub_region(self, code: &str, name: &str, parent: &str) -> Company {
        self.region(code, name).with(&["--parent", parent])
    }

    /// `regions assign REGION AREAS…`
    pub fn assign(self, region: &str, areas: &[&str]) -> Company {
        let mut args = vec!["regions", "assign", region];
        args.extend(areas);
        self.run(&args)
    }

    /// `reps add CODE --name NAME --region REGION` (role: the default, rep).
    pub fn rep(self, code: &str, name: &str, region: &str) -> Company {
        self.run(&["reps", "add", code, "--name", name, "--region", region])
    }

    /// `--role ROLE` for the rep just declared.
    pub fn role(self, role: &str) -> Company {
        self.with(&["--role", role])
    }

    /// `products add SKU --name NAME --list-price LIST --cost COST`
    pub fn product(self, sku: &str, name: &str, list_price: &str, cost: &str) -> Company {
        self.run(&[
            "products",
            "add",
            sku,
            "--name",
            name,
            "--list-price",
            list_price,
            "--cost",
            cost,
        ])
    }

    /// `customers add CODE --name NAME --area AREA` (no owner: add `.owner(…)` or other flags).
    pub fn customer(self, code: &str, name: &str, area: &str) -> Company {
        self.run(&["customers", "add", code, "--name", name, "--area", area])
    }

    /// `--owner OWNER` for the customer just declared.
    pub fn owner(self, owner: &str) -> Company {
        self.with(&["--owner", owner])
    }

    /// `policy set KEY VALUE`
    pub fn policy(self, key: &str, value: &str) -> Company {
        self.run(&["policy", "set", key, value])
    }

    /// An SQL batch on the database file (no command runs, nothing is audited).
    pub fn sql(mut self, batch: &str) -> Company {
        self.steps.push(Step::Sql(batch.to_string()));
        self
    }

    /// `salesops WHAT import FILE` of `content` written to `file` in the test folder.
    pub fn import(mut self, what: &str, file: &str, content: &str) -> Company {
        self.steps.push(Step::Import {
            what: what.to_string(),
            file: file.to_string(),
            content: content.to_string(),
        });
        self
    }

    /// A fresh database (`init`) with every step run on it in order; each command must succeed.
    pub fn build(self) -> Env {
        let env = Env::new();
        for step in self.steps {
            match step {
                Step::Run(args) => {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    env.ok(&args);
                }
                Step::Sql(batch) => env
                    .conn()
                    .execute_batch(&batch)
                    .unwrap_or_else(|e| panic!("SQL of the company ({e}):\n{batch}")),
                Step::Import {
                    what,
                    file,
                    content,
                } => {
                    let path = env.write(&file, &content);
                    env.ok(&[&what, "import", path.to_str().expect("utf-8 path")]);
                }
            }
        }
        env
    }
}
