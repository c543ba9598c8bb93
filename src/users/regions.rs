//! The 16 member regions of the RQDS in 2014–2015 (Tour du Québec 2014/2015).

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::error::ErrorCode;
use crate::i18n::Text;
use crate::text::fold;
use crate::validation::Validator;

pub const MEMBER_REGIONS: [&str; 16] = [
    "Abitibi-Témiscamingue",
    "Baie-James",
    "Bas-Saint-Laurent",
    "Capitale-Nationale",
    "Centre-du-Québec",
    "Chaudière-Appalaches",
    "Côte-Nord",
    "Estrie",
    "Gaspésie–Îles-de-la-Madeleine",
    "Lanaudière",
    "Laurentides",
    "Laval",
    "Mauricie",
    "Montérégie Est",
    "Outaouais",
    "Vallée-du-Haut-Saint-Laurent",
];

fn key(name: &str) -> String {
    fold(name).replace(['-', '–', '—', ' '], "")
}

/// The region's canonical name, however it was written ("estrie", "Monteregie-Est").
pub fn canonical(name: &str) -> Option<&'static str> {
    let wanted = key(name);
    MEMBER_REGIONS.iter().copied().find(|r| key(r) == wanted)
}

/// A member region as sent; the document lists the 16 names (`#[schema(inline)]`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Region(String);

impl Region {
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// Its canonical name, or `unknown_region` with the list.
    pub fn check(&self, v: &mut Validator, field: &str) -> Option<&'static str> {
        let found = canonical(&self.0);
        if found.is_none() {
            let value = &self.0;
            let regions = MEMBER_REGIONS.join(", ");
            v.push(
                field,
                ErrorCode::UnknownRegion,
                Text::new(
                    format!("« {value} » n'est pas une région membre. Régions : {regions}."),
                    format!("\"{value}\" is not a member region. Regions: {regions}."),
                ),
            );
        }
        found
    }
}

impl From<String> for Region {
    fn from(name: String) -> Self {
        Self(name)
    }
}

impl PartialSchema for Region {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(MEMBER_REGIONS))
            .into()
    }
}

impl ToSchema for Region {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_found_however_written() {
        assert_eq!(canonical("estrie"), Some("Estrie"));
        assert_eq!(canonical("Monteregie-Est"), Some("Montérégie Est"));
        assert_eq!(
            canonical("Gaspésie-Îles-de-la-Madeleine"),
            Some("Gaspésie–Îles-de-la-Madeleine")
        );
        assert_eq!(canonical("Montréal"), None);
    }
}
