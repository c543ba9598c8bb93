//! Who may do what: the matrix of roles and permissions. A handler asks for a permission
//! in its signature (`Authorized<EditPlans>`, `auth::authorized`); the OpenAPI document,
//! the README and the role × operation test are derived from the handlers and this matrix.

use crate::error::ApiError;
use crate::i18n::Text;

crate::text_enum! {
    /// `admin` the coordination; `board` CA members; `member` regional delegates;
    /// `observer` partners such as the ministry.
    pub enum Role {
        Admin => "admin",
        Board => "board",
        Member => "member",
        Observer => "observer",
    }
}

impl Role {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match (self, lang) {
            (_, crate::i18n::Lang::Fr) => self.label_fr(),
            (Role::Admin, _) => "coordination",
            (Role::Board, _) => "board member",
            (Role::Member, _) => "regional delegate",
            (Role::Observer, _) => "observer",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Admin => "coordination",
            Role::Board => "membre du CA",
            Role::Member => "délégué·e régional·e",
            Role::Observer => "partenaire observateur",
        }
    }
}

/// A permission as a type, for a handler's signature (`auth::Authorized<EditPlans>`).
pub trait Requirement {
    const PERMISSION: Permission;
    /// 404 instead of 403 (`auth::Hidden`).
    const HIDDEN: bool = false;
}

/// The permissions, and one type of each name in `required` (`required::EditPlans`).
macro_rules! permissions {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Permission {
            $($(#[$doc])* $name,)*
        }

        pub mod required {
            $(
                $(#[$doc])*
                pub struct $name;
                impl super::Requirement for $name {
                    const PERMISSION: super::Permission = super::Permission::$name;
                }
            )*
        }
    };
}

permissions! {
    /// Read plans, their structure, history and comments.
    ReadPlans,
    /// Create and edit plans and their structure (orientations, objectives, actions,
    /// deadlines, acronyms, assignees), import plan documents.
    EditPlans,
    /// Record a status update on any action.
    UpdateAnyStatus,
    /// Record a status update on an action one is assigned to.
    UpdateAssignedStatus,
    /// Adopt a draft plan (a resolution of the board).
    AdoptPlans,
    /// Close an adopted plan at the end of its year.
    ClosePlans,
    /// Comment on actions.
    Comment,
    /// Read saved reports.
    ReadReports,
    /// Produce and download exports and reports.
    ProduceReports,
    /// Save a report into the board's list (the ministry's observer reads them, does not
    /// add to them).
    SaveReports,
    /// Sign off a saved report for the board.
    SignOffReports,
    /// Manage user accounts.
    ManageUsers,
    /// Read the audit trail.
    ReadAudit,
}

use Permission::*;
use Role::*;

/// The matrix. A permission not listed for a role is refused.
pub const MATRIX: &[(Permission, &[Role])] = &[
    (ReadPlans, &[Admin, Board, Member, Observer]),
    (EditPlans, &[Admin, Board]),
    (UpdateAnyStatus, &[Admin, Board]),
    (UpdateAssignedStatus, &[Admin, Board, Member]),
    (AdoptPlans, &[Board]),
    (ClosePlans, &[Admin, Board]),
    (Comment, &[Admin, Board, Member]),
    (ReadReports, &[Admin, Board, Member, Observer]),
    (ProduceReports, &[Admin, Board, Observer]),
    (SaveReports, &[Admin, Board]),
    (SignOffReports, &[Admin, Board]),
    (ManageUsers, &[Admin]),
    (ReadAudit, &[Admin]),
];

impl Permission {
    pub fn roles(self) -> &'static [Role] {
        MATRIX.iter().find(|(p, _)| *p == self).map_or(&[], |(_, roles)| roles)
    }

    /// Its name in code (`EditPlans`), as `#[endpoint]` writes it into the document.
    pub fn name(self) -> String {
        format!("{self:?}")
    }

    pub fn from_name(name: &str) -> Option<Permission> {
        MATRIX.iter().map(|(p, _)| *p).find(|p| p.name() == name)
    }

    /// What a refusal hidden as 404 says is missing: the item named by the path's `{id}`.
    pub fn hides(self) -> crate::entity::Entity {
        match self {
            ManageUsers => crate::entity::Entity::User,
            _ => crate::entity::Entity::Plan,
        }
    }

    pub fn allows(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    pub fn describe(self) -> Text {
        let (fr, en) = match self {
            ReadPlans => ("lire les plans", "read plans"),
            EditPlans => ("modifier les plans et leur structure", "edit plans and their structure"),
            UpdateAnyStatus => (
                "mettre à jour l'état de toute action",
                "update the status of any action",
            ),
            UpdateAssignedStatus => (
                "mettre à jour l'état des actions qui vous sont assignées",
                "update the status of actions assigned to you",
            ),
            AdoptPlans => ("adopter un plan (résolution du CA)", "adopt a plan (board resolution)"),
            ClosePlans => (
                "fermer un plan à la fin de l'année",
                "close a plan at the end of its year",
            ),
            Comment => ("commenter les actions", "comment on actions"),
            ReadReports => ("lire les rapports", "read reports"),
            ProduceReports => ("produire les rapports et exports", "produce reports and exports"),
            SaveReports => (
                "enregistrer un rapport dans la liste du CA",
                "save a report into the board's list",
            ),
            SignOffReports => ("valider un rapport au nom du CA", "sign off a report for the board"),
            ManageUsers => ("gérer les comptes", "manage accounts"),
            ReadAudit => ("consulter le journal d'audit", "read the audit trail"),
        };
        Text::new(fr, en)
    }
}

/// What a caller sees when refused: 403, or 404 where the resource must not even be
/// revealed (user accounts, to anyone who may not manage them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Forbidden,
    Hidden,
}

/// Only its author changes a comment; the coordination (admin) may also remove one.
pub fn may_change_comment(role: Role, is_author: bool, removing: bool) -> bool {
    is_author || (removing && role == Role::Admin)
}

/// The matrix as a Markdown table (it stands in the README; a test keeps the two equal).
pub fn markdown_table() -> String {
    let mut out = String::from("| permission | admin | board | member | observer |\n|---|---|---|---|---|\n");
    for (permission, _) in MATRIX {
        out.push_str(&format!("| {} |", permission.describe().en));
        for role in Role::ALL {
            out.push_str(if permission.allows(*role) { " ✓ |" } else { " – |" });
        }
        out.push('\n');
    }
    out
}

/// An administrator may not lock themselves out: deactivating their own account or
/// giving it another role is for another administrator to do (409).
pub fn keep_own_access(current: Role, role: Option<Role>, active: Option<bool>) -> Result<(), ApiError> {
    if active == Some(false) || role.is_some_and(|r| r != current) {
        return Err(ApiError::Conflict(Text::new(
            "Vous ne pouvez pas désactiver votre propre compte ni en changer le rôle : demandez-le à une autre personne de la coordination.",
            "You cannot deactivate your own account or change its role: ask another administrator.",
        )));
    }
    Ok(())
}

/// Why a member is refused an action; `action` names it where several are in view.
pub fn not_assigned(action: Option<i64>) -> Text {
    let (fr, en) = match action {
        Some(id) => (
            format!("L'action {} ne vous est pas assignée", id),
            format!("Action {} is not assigned to you", id),
        ),
        None => (
            "Cette action ne vous est pas assignée".to_owned(),
            "This action is not assigned to you".to_owned(),
        ),
    };
    Text::new(
        format!(
            "{fr} : seules les personnes responsables d'une action en mettent l'état à jour. La coordination peut vous l'assigner."
        ),
        format!(
            "{en}: only the people responsible for an action update its status. The coordination can assign it to you."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_of_the_issue() {
        assert!(EditPlans.allows(Board) && !EditPlans.allows(Member) && !EditPlans.allows(Observer));
        assert!(UpdateAssignedStatus.allows(Member) && !UpdateAnyStatus.allows(Member));
        assert!(Comment.allows(Member) && !Comment.allows(Observer));
        assert!(ProduceReports.allows(Observer) && !ProduceReports.allows(Member));
        assert!(ReadReports.allows(Member));
        assert!(ManageUsers.allows(Admin) && !ManageUsers.allows(Board));
        for &role in Role::ALL {
            assert!(ReadPlans.allows(role));
        }
    }

    #[test]
    fn comments_belong_to_their_author() {
        assert!(may_change_comment(Member, true, false));
        assert!(!may_change_comment(Board, false, false));
        assert!(!may_change_comment(Admin, false, false));
        assert!(may_change_comment(Admin, false, true));
        assert!(!may_change_comment(Board, false, true));
    }

    #[test]
    fn every_permission_is_in_the_matrix() {
        for permission in [
            ReadPlans,
            EditPlans,
            UpdateAnyStatus,
            UpdateAssignedStatus,
            Comment,
            ReadReports,
            ProduceReports,
            ManageUsers,
            ReadAudit,
        ] {
            assert!(!permission.roles().is_empty(), "{permission:?}");
        }
    }

    #[test]
    fn an_admin_keeps_their_own_access() {
        assert!(keep_own_access(Role::Admin, Some(Role::Admin), Some(true)).is_ok());
        assert!(keep_own_access(Role::Admin, None, None).is_ok());
        assert!(keep_own_access(Role::Admin, None, Some(false)).is_err());
        assert!(keep_own_access(Role::Admin, Some(Role::Observer), None).is_err());
    }
}
