//! Which leading group handles an opinion: the nearest one above its box, or the one a
//! category rule names; one level higher for 越级反映; higher again while the opinion is about
//! the head of the group it would reach.

use vocabulary::model::Escalation;

/// A leading group on the way up, as routing needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupStep {
    /// The group's id.
    pub group_id: String,
    /// The person heading it, if recorded.
    pub head_person_id: Option<String>,
}

/// Where an opinion goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routed {
    /// The handling group.
    pub group_id: String,
    /// Why it is above the first group of the chain, if it is.
    pub escalation: Option<Escalation>,
}

/// Picks the handling group from `chain`: the groups from the starting one upward, nearest
/// first (the box's own chain, or the rule group's). `None` when the chain is empty.
///
/// The villager's 越级反映 skips the first group when a higher one exists. Then, while the
/// opinion is about the current group's head and a higher group exists, it moves up, so the
/// head never handles an opinion about themselves; at the top it stays, and the head's account
/// still never sees it (recusal by target).
pub fn route(chain: &[GroupStep], escalate: bool, target_person: Option<&str>) -> Option<Routed> {
    let mut at = 0;
    let mut escalation = None;
    if escalate && chain.len() > 1 {
        at = 1;
        escalation = Some(Escalation::Requested);
    }
    while let Some(step) = chain.get(at) {
        let about_head = target_person.is_some() && step.head_person_id.as_deref() == target_person;
        if !about_head || at + 1 >= chain.len() {
            break;
        }
        at += 1;
        escalation = Some(Escalation::HeadNamed);
    }
    chain.get(at).map(|step| Routed {
        group_id: step.group_id.clone(),
        escalation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(heads: &[Option<&str>]) -> Vec<GroupStep> {
        heads
            .iter()
            .enumerate()
            .map(|(i, h)| GroupStep {
                group_id: format!("g{i}"),
                head_person_id: h.map(str::to_string),
            })
            .collect()
    }

    fn routed(group: &str, escalation: Option<Escalation>) -> Option<Routed> {
        Some(Routed {
            group_id: group.into(),
            escalation,
        })
    }

    #[test]
    fn nearest_group_by_default() {
        let c = chain(&[Some("head0"), Some("head1")]);
        assert_eq!(route(&c, false, None), routed("g0", None));
        assert_eq!(route(&c, false, Some("someone")), routed("g0", None));
        assert_eq!(route(&[], false, None), None);
    }

    #[test]
    fn escalation_skips_one_level_when_there_is_one() {
        let c = chain(&[None, None, None]);
        assert_eq!(
            route(&c, true, None),
            routed("g1", Some(Escalation::Requested))
        );
        assert_eq!(route(&c[..1], true, None), routed("g0", None));
    }

    #[test]
    fn an_opinion_about_the_head_goes_up_until_the_head_differs() {
        let c = chain(&[Some("p"), Some("p"), Some("q")]);
        assert_eq!(
            route(&c, false, Some("p")),
            routed("g2", Some(Escalation::HeadNamed))
        );
        let top = chain(&[Some("p")]);
        assert_eq!(route(&top, false, Some("p")), routed("g0", None));
        let c = chain(&[None, Some("p"), None]);
        assert_eq!(
            route(&c, true, Some("p")),
            routed("g2", Some(Escalation::HeadNamed))
        );
    }
}
