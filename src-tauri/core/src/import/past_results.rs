//! The results an earlier year's ledger holds in a row (答复日期, 文号, 办理结果, 满意度 …),
//! recorded as the workflow steps they stand for (补录), each checked as a typed step is;
//! words of 办理结果 gathered for the clerk to confirm a class.

use super::columns::{result_column, Field};
use super::preview::{ImportOptions, LookbackWord, OutcomeWord, Problem};
use crate::error::{Error, Result};
use crate::model::ItemInput;
use crate::result_words::{class_by_letter, proposed_class, says_solved, ResultCells};
use crate::workflow::{check_step, CheckedStep, ReplyClass, StepRecord};
use crate::model::{CountyRole, UnitRole};
use crate::text::{clean, parse_date};
use std::collections::HashSet;


/// The result cells of a row.
pub(super) fn cells_of(value: &impl Fn(Field) -> String) -> ResultCells {
    ResultCells {
        reply_date: value(Field::ReplyDate),
        doc_number: value(Field::DocNumber),
        outcome: value(Field::Outcome),
        satisfaction: value(Field::Satisfaction),
        work: value(Field::WorkRating),
        result: value(Field::ResultRating),
        channel: value(Field::Channel),
        meeting_date: value(Field::MeetingDate),
        meeting_method: value(Field::MeetingMethod),
        publication: value(Field::Publication),
        lookback: value(Field::Lookback),
    }
}

/// The words of a file's results the clerk confirms in the preview: the 办理结果 written in
/// words, and the 回头看 phrases.
#[derive(Debug, Default)]
pub(super) struct ResultWords {
    pub outcome: Vec<OutcomeWord>,
    pub lookback: Vec<LookbackWord>,
}

/// The steps a row's results record, each checked as a typed step is; what cannot be
/// recorded is said in `problems`. A step the item has already recorded is not recorded
/// again (a list imported twice, or results typed in by hand before). Words of 办理结果 are
/// gathered in `words` for the clerk to confirm.
pub(super) fn row_results(
    cells: &ResultCells,
    input: &ItemInput,
    recorded: Option<&HashSet<String>>,
    options: &ImportOptions,
    words: &mut ResultWords,
    row: usize,
    problems: &mut Vec<Problem>,
) -> Result<Vec<CheckedStep>> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let outcome = clean(&cells.outcome);
    let class = match class_by_letter(&outcome) {
        Some(class) => Some(class),
        None if outcome.is_empty() => None,
        None => {
            let chosen = options.outcome_words.get(&outcome).map(|c| ReplyClass::parse(c));
            let class = chosen.unwrap_or_else(|| proposed_class(&outcome));
            match words.outcome.iter_mut().find(|w| w.word == outcome) {
                Some(word) => word.rows += 1,
                None => words.outcome.push(OutcomeWord { word: outcome.clone(), class: class.map(|c| c.as_str().to_string()).unwrap_or_default(), by_hand: chosen.is_some(), rows: 1 }),
            }
            class
        }
    };
    let roles: Vec<(i64, UnitRole)> = input
        .assignments
        .iter()
        .filter_map(|a| a.unit_id.map(|id| (id, if a.role == "主办" { UnitRole::Lead } else { UnitRole::Assist })))
        .collect();
    let lead = roles.iter().find(|(_, role)| *role == UnitRole::Lead).map(|(id, _)| *id);
    let solved = |phrase: &str| {
        let chosen = options.lookback_words.get(phrase).copied();
        let solved = chosen.unwrap_or_else(|| says_solved(phrase));
        match words.lookback.iter_mut().find(|w| w.word == phrase) {
            Some(word) => word.rows += 1,
            None => words.lookback.push(LookbackWord { word: phrase.to_string(), solved, by_hand: chosen.is_some(), rows: 1 }),
        }
        solved
    };
    let (inputs, found) = cells.steps(class, lead, solved);
    problems.extend(found.into_iter().map(|p| Problem { sheet: String::new(), row, column: p.column.into(), message: p.message, blocks: p.blocks }));
    let assigned_on = parse_date(&input.assigned_on);
    let mut steps = Vec::new();
    for step in inputs {
        if recorded.is_some_and(|steps| steps.contains(&step.step)) {
            problems.push(Problem { sheet: String::new(), row, column: result_column(&step.step, "happened_on"), blocks: false,
                message: format!("这件已登记过{}，文件中的不再补录。", step.step) });
            continue;
        }
        match check_step(&step, &roles, assigned_on, CountyRole::Lead) {
            Ok(checked) => steps.push(checked),
            Err(Error::Invalid(errors)) => problems.extend(errors.into_iter().map(|e| Problem {
                sheet: String::new(),
                row,
                column: result_column(&step.step, &e.field),
                message: format!("{}：{}", step.step, e.message),
                blocks: true,
            })),
            Err(other) => return Err(other),
        }
    }
    Ok(steps)
}

/// A row's results in short, as the preview lists them: 面商、B类、基本满意、不公开.
pub(super) fn results_text(steps: &[CheckedStep]) -> String {
    let words: Vec<String> = steps
        .iter()
        .map(|s| match &s.record {
            StepRecord::Reply { class, .. } => format!("{class}类"),
            StepRecord::Opinion { work, result, .. } if work == result => work.to_string(),
            StepRecord::Opinion { work, result, .. } => format!("工作{work}、结果{result}"),
            StepRecord::Publication { mode, .. } => mode.to_string(),
            StepRecord::Lookback { solved_on: Some(_), .. } => "回头看（已解决，转A类）".into(),
            other => other.step().to_string(),
        })
        .collect();
    words.join("、")
}
