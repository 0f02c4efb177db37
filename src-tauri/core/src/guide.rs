//! The clerk's guide (docs/用户指南.md), compiled into the program: the 帮助 page shows it
//! offline, and the README links the same file, so there is one text to keep.

/// The guide as written, in the few forms of Markdown the 帮助 page draws: headings,
/// paragraphs, lists, **bold** and `code`.
pub const USER_GUIDE: &str = include_str!("../../../docs/用户指南.md");
