//! Staff roles and what each may do.

/// A staff account's role, stored by its stable name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Role {
    /// Maintains units, people, accounts and boxes.
    Admin,
    /// A leading-group member: handles the group's queue.
    Member,
    /// Reads the group's statistics only.
    Viewer,
    /// Reads the audit trail only.
    Auditor,
}

vocabulary::stored_by_name!(Role => "staff role");

/// Something a role may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read and handle the group's opinions.
    HandleOpinions,
    /// Read the group's statistics.
    ViewStatistics,
    /// Change the group's settings (retention).
    ChangeSettings,
    /// List boxes and print their QR codes.
    ManageBoxes,
    /// Read and check the audit trail.
    ViewAudit,
    /// Maintain the units, people, leading groups, accounts, routing and boxes of an area.
    ManageOrganisation,
    /// Copy and edit appraisal questionnaires.
    EditQuestionnaires,
    /// Open appraisal rounds, make slips, close rounds and write 整改落实情况.
    RunAppraisal,
    /// Write, publish and withdraw the group's public notices (通报).
    PublishNotices,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Member, Role::Viewer, Role::Auditor];

    /// The stable name stored with the account.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
            Role::Auditor => "auditor",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether the role may do `what`.
    pub fn may(self, what: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => matches!(what, ManageBoxes | ManageOrganisation | EditQuestionnaires),
            Role::Member => matches!(
                what,
                HandleOpinions
                    | ViewStatistics
                    | ChangeSettings
                    | ManageBoxes
                    | EditQuestionnaires
                    | RunAppraisal
                    | PublishNotices
            ),
            Role::Viewer => matches!(what, ViewStatistics),
            Role::Auditor => matches!(what, ViewAudit),
        }
    }

    /// Whether the role may do `what` only once its account's link to a person is confirmed
    /// by a second member: everything a member does beyond reading the group's statistics.
    pub fn acts_only_when_confirmed(self, what: Permission) -> bool {
        self == Role::Member && what != Permission::ViewStatistics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_read_opinions_and_only_auditors_read_the_trail() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(role.may(Permission::HandleOpinions), role == Role::Member);
            assert_eq!(role.may(Permission::ViewAudit), role == Role::Auditor);
            assert_eq!(
                role.may(Permission::ManageOrganisation),
                role == Role::Admin
            );
        }
        assert!(Role::Viewer.may(Permission::ViewStatistics));
        assert!(!Role::Viewer.may(Permission::ChangeSettings));
    }

    #[test]
    fn an_unconfirmed_member_reads_statistics_only() {
        assert!(Role::Member.acts_only_when_confirmed(Permission::HandleOpinions));
        assert!(Role::Member.acts_only_when_confirmed(Permission::PublishNotices));
        assert!(!Role::Member.acts_only_when_confirmed(Permission::ViewStatistics));
        assert!(!Role::Admin.acts_only_when_confirmed(Permission::ManageOrganisation));
    }
}
