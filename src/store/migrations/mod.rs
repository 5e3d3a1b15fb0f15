//! The code a migration step runs besides its SQL, one file per schema version, frozen as released: a
//! step must compute what it computed then, whatever today's rollups and rules have become. Never edit a
//! released file (nor make it call code that may change); a later correction is a new step.

pub(super) mod v2;
pub(super) mod v3;
pub(super) mod v4;
