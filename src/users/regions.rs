//! The 16 member regions of the RQDS in 2014–2015 (Tour du Québec 2014/2015).

use crate::text::fold;

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
