//! A plan's year: `draft` → `adopted` (by the board, with a resolution) → `closed`. Who
//! may change what in each state is decided here, apart from the database.

use chrono::NaiveDate;

use crate::error::{ApiError, ErrorCode};
use crate::i18n::Text;
use crate::security::permissions::Role;

crate::text_enum! {
    /// `draft` while the coordination prepares it; `adopted` once the board (CA) adopts it;
    /// `closed` at the end of the year: read only, its reports still available.
    pub enum PlanState {
        Draft => "draft",
        Adopted => "adopted",
        Closed => "closed",
    }
}

/// What a change touches, for the plan's state to allow it or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The adopted content: orientations, objectives, actions, their deadlines, acronyms.
    Structure,
    /// The year's follow-up: status updates, comments, assignees, the board's events.
    Progress,
    /// Saving and signing off reports: allowed in every state.
    Report,
    /// Adopting or closing the plan itself: `next_state` decides.
    Lifecycle,
}

impl PlanState {
    pub fn label_fr(self) -> &'static str {
        match self {
            PlanState::Draft => "ébauche",
            PlanState::Adopted => "adopté",
            PlanState::Closed => "fermé",
        }
    }
}

/// Whether a change of `kind` may be made to a plan in `state` by someone of `role`
/// (`None`: the system, the CLI's imports and scripts, which the state does not stop).
pub fn may_change(state: PlanState, kind: ChangeKind, role: Option<Role>) -> Result<(), ApiError> {
    let Some(role) = role else {
        return Ok(());
    };
    match (state, kind) {
        (_, ChangeKind::Report | ChangeKind::Lifecycle)
        | (PlanState::Draft, _)
        | (PlanState::Adopted, ChangeKind::Progress) => Ok(()),
        (PlanState::Adopted, ChangeKind::Structure) if role == Role::Board => Ok(()),
        (PlanState::Adopted, ChangeKind::Structure) => Err(ApiError::Forbidden(Text::new(
            "Ce plan est adopté par le CA : seule une personne membre du CA peut en changer la structure (orientations, objectifs, actions, échéances, sigles). Les états d'avancement restent modifiables.",
            "This plan is adopted by the board: only a board member may change its structure (orientations, objectives, actions, deadlines, acronyms). Statuses can still be updated.",
        ))),
        (PlanState::Closed, _) => Err(ApiError::Conflict(Text::new(
            "Ce plan est fermé (fin d'année) : il se lit et ses rapports restent disponibles, mais il ne se modifie plus.",
            "This plan is closed (end of the year): it can be read and its reports stay available, but it no longer changes.",
        ))),
    }
}

/// A step of the plan's year.
#[derive(Debug, Clone)]
pub enum Transition {
    Adopt { adopted_on: NaiveDate, resolution: String },
    Close { closed_on: NaiveDate },
}

/// The plan's state after `transition`, or why it cannot happen now.
pub fn next_state(
    state: PlanState,
    transition: &Transition,
    adopted_on: Option<NaiveDate>,
) -> Result<PlanState, ApiError> {
    match (state, transition) {
        (PlanState::Draft, Transition::Adopt { .. }) => Ok(PlanState::Adopted),
        (PlanState::Adopted, Transition::Close { closed_on }) if adopted_on.is_some_and(|a| *closed_on < a) => {
            Err(ApiError::invalid(
                "closed_on",
                ErrorCode::BeforeAdoption,
                Text::new(
                    "La date de fermeture précède celle de l'adoption.",
                    "The closing date comes before the adoption date.",
                ),
            ))
        }
        (PlanState::Adopted, Transition::Close { .. }) => Ok(PlanState::Closed),
        (state, Transition::Adopt { .. }) => Err(ApiError::Conflict(Text::new(
            format!("Ce plan est déjà {} : seule une ébauche s'adopte.", state.label_fr()),
            format!("This plan is already {}: only a draft is adopted.", state.as_str()),
        ))),
        (state, Transition::Close { .. }) => Err(ApiError::Conflict(Text::new(
            format!("Ce plan est {} : seul un plan adopté se ferme.", state.label_fr()),
            format!("This plan is {}: only an adopted plan is closed.", state.as_str()),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_allows_what_its_year_needs() {
        use ChangeKind::*;
        use PlanState::*;
        let allowed = |state, kind, role| may_change(state, kind, role).is_ok();
        for role in Role::ALL.iter().copied() {
            assert!(allowed(Draft, Structure, Some(role)));
            assert!(allowed(Adopted, Progress, Some(role)));
            assert!(!allowed(Closed, Progress, Some(role)));
            assert!(!allowed(Closed, Structure, Some(role)));
            assert!(allowed(Closed, Report, Some(role)));
            assert_eq!(allowed(Adopted, Structure, Some(role)), role == Role::Board, "{role:?}");
        }
        assert!(matches!(
            may_change(Adopted, Structure, Some(Role::Admin)),
            Err(ApiError::Forbidden(_))
        ));
        assert!(matches!(
            may_change(Closed, Progress, Some(Role::Board)),
            Err(ApiError::Conflict(_))
        ));
        assert!(allowed(Closed, Structure, None), "the system (CLI) is not stopped");
    }

    #[test]
    fn the_year_goes_draft_adopted_closed() {
        let day = |m, d| NaiveDate::from_ymd_opt(2013, m, d).unwrap_or_default();
        let adopt = Transition::Adopt {
            adopted_on: day(9, 12),
            resolution: "CA-2013-09-12-03".into(),
        };
        let close = Transition::Close { closed_on: day(12, 1) };
        assert_eq!(
            next_state(PlanState::Draft, &adopt, None).ok(),
            Some(PlanState::Adopted)
        );
        assert_eq!(
            next_state(PlanState::Adopted, &close, Some(day(9, 12))).ok(),
            Some(PlanState::Closed)
        );
        assert!(matches!(
            next_state(PlanState::Draft, &close, None),
            Err(ApiError::Conflict(_))
        ));
        assert!(matches!(
            next_state(PlanState::Adopted, &adopt, Some(day(9, 12))),
            Err(ApiError::Conflict(_))
        ));
        assert!(matches!(
            next_state(PlanState::Closed, &close, Some(day(9, 12))),
            Err(ApiError::Conflict(_))
        ));
        let early = Transition::Close { closed_on: day(9, 1) };
        assert!(matches!(
            next_state(PlanState::Adopted, &early, Some(day(9, 12))),
            Err(ApiError::Validation(_))
        ));
    }
}
