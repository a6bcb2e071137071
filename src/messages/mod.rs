//! Every user-facing sentence, as tables of stable kebab-case codes with English templates: the
//! form's diagnostics ([`diagnostic`]), the probe's findings and their fixes ([`finding`]), and
//! the probe's step summaries ([`step`]) and verdict sentences ([`verdict`]). A console replaces any of them by code (`messages`
//! in `validateForm`'s and `probeRegistry`'s options); a template's `{slots}` are filled in the
//! same way for the English text and a translation.

pub(crate) mod diagnostic;
pub(crate) mod finding;
pub(crate) mod step;
pub(crate) mod verdict;

/// A console's own templates, by code.
pub(crate) type Messages = [(String, String)];

/// The console's template for `code`, else `english`.
pub(crate) fn template<'a>(messages: &'a Messages, code: &str, english: &'a str) -> &'a str {
    messages
        .iter()
        .find(|(c, _)| c == code)
        .map_or(english, |(_, t)| t.as_str())
}

/// `template` with its `{name}` slots filled from `slots`; other braces stay as they are.
pub(crate) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let slot = slots.iter().find_map(|(name, value)| {
            from.strip_prefix('{')
                .and_then(|f| f.strip_prefix(name))
                .and_then(|f| f.strip_prefix('}'))
                .map(|after| (value, after))
        });
        match slot {
            Some((value, after)) => {
                out.push_str(value);
                rest = after;
            }
            None => {
                out.push('{');
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// A table of sentences: each row a variant, its stable kebab-case code and English template.
macro_rules! texts {
    ($(#[$enum_doc:meta])* enum $name:ident;
     $($(#[$doc:meta])* $variant:ident = $code:literal, $text:literal;)*) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            /// All entries, in table order (for documentation and tests).
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable kebab-case identifier.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// The English sentence, with its `{slots}`.
            pub fn template(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The sentence in the console's words where `messages` has them, slots filled.
            pub(crate) fn render(self, messages: &$crate::messages::Messages, slots: &[(&str, &str)]) -> String {
                $crate::messages::fill($crate::messages::template(messages, self.code(), self.template()), slots)
            }
        }

        /// Serialized as its stable kebab-case code (the core keeps the enum until then).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use texts;

/// A table of codes with a severity and, optionally, an English fix: [`texts!`] plus those two.
macro_rules! codes {
    (@fix) => { None };
    (@fix $fix:literal) => { Some($fix) };
    (@field) => { None };
    (@field $field:ident) => { Some(stringify!($field)) };
    ($(#[$enum_doc:meta])* enum $name:ident;
     $($(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident $(in $field:ident)?, $message:literal $(, fix $fix:literal)?;)*) => {
        $crate::messages::texts! {
            $(#[$enum_doc])* enum $name;
            $($(#[$doc])* $variant = $code, $message;)*
        }

        impl $name {
            /// The severity this code always has.
            pub fn severity(self) -> $crate::messages::diagnostic::Severity {
                match self { $($name::$variant => $crate::messages::diagnostic::Severity::$severity,)* }
            }

            /// The English fix, where the table gives one (slots as in the message).
            pub fn fix_template(self) -> Option<&'static str> {
                match self { $($name::$variant => codes!(@fix $($fix)?),)* }
            }

            /// The form field the code is about (`url`, `passwordRef`, … as `FormCheck.fields`
            /// names them), where the table gives one.
            pub fn field(self) -> Option<&'static str> {
                match self { $($name::$variant => codes!(@field $($field)?),)* }
            }
        }
    };
}
pub(crate) use codes;

#[cfg(test)]
mod tests {
    use super::diagnostic::{Code, Diagnostic};
    use super::fill;
    use super::finding::{Finding, FindingCode};
    use super::step::StepText;
    use super::verdict::VerdictText;

    /// Every code of every table takes a second language, slots filled, and the English
    /// default otherwise.
    #[test]
    fn every_sentence_translates_by_code() {
        let mut fr = Vec::new();
        for code in FindingCode::ALL {
            fr.push((
                code.code().to_string(),
                format!("FR {} {{detail}}", code.code()),
            ));
            fr.push((
                format!("{}.fix", code.code()),
                "FR correctif {detail}".into(),
            ));
        }
        for text in StepText::ALL {
            fr.push((
                text.code().to_string(),
                format!("FR {} {{count}}", text.code()),
            ));
        }
        for text in VerdictText::ALL {
            fr.push((
                text.code().to_string(),
                format!("FR {} {{count}}", text.code()),
            ));
        }
        for code in Code::ALL {
            fr.push((
                code.code().to_string(),
                format!("FR {} {{detail}}", code.code()),
            ));
        }
        for &code in FindingCode::ALL {
            let finding = Finding::new(code, &[("detail", "d")], &fr);
            assert_eq!(finding.message, format!("FR {} d", code.code()));
            let want = code.fix_template().map(|_| "FR correctif d".to_string());
            assert_eq!(finding.fix, want, "{}", code.code());
            let english = Finding::new(code, &[("detail", "d"), ("account", "a")], &[]);
            assert_eq!(
                english.message,
                code.template()
                    .replace("{detail}", "d")
                    .replace("{account}", "a")
            );
        }
        for &text in StepText::ALL {
            assert_eq!(
                text.render(&fr, &[("count", "3")]),
                format!("FR {} 3", text.code())
            );
        }
        for &text in VerdictText::ALL {
            assert_eq!(
                text.render(&fr, &[("count", "3")]),
                format!("FR {} 3", text.code())
            );
        }
        for &code in Code::ALL {
            let mut diagnostic = Diagnostic::new(code, "abc", 0..1, "d");
            diagnostic.translate(&fr);
            assert_eq!(diagnostic.message, format!("FR {} d", code.code()));
        }
    }

    #[test]
    fn codes_are_unique_across_tables() {
        let mut seen = std::collections::HashSet::new();
        let all = FindingCode::ALL
            .iter()
            .map(|c| c.code())
            .chain(StepText::ALL.iter().map(|t| t.code()))
            .chain(VerdictText::ALL.iter().map(|t| t.code()))
            .chain(Code::ALL.iter().map(|c| c.code()));
        for code in all {
            assert!(seen.insert(code), "{code} is in two tables");
        }
    }

    #[test]
    fn named_slots() {
        assert_eq!(
            fill("{a} and {b}, {c} {a}", &[("a", "x"), ("b", "y")]),
            "x and y, {c} x"
        );
        assert_eq!(fill("{", &[("a", "x")]), "{");
        assert_eq!(fill("{detail}.", &[("detail", "{detail}")]), "{detail}.");
    }
}
