//! CSV text as records of fields, each field with the line and column where it starts, so
//! that a bad value in an observations file is named at its place (RFC 4180: fields
//! separated by commas, a field in double quotes may hold commas, line breaks and doubled
//! quotes `""`; lines end in LF or CRLF). The `csv` crate reads the same text but gives only
//! a record's start, and a field's column is what an analyst needs to find a typo.

use super::Position;

/// One field as written, unquoted, and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub text: String,
    pub at: Position,
}

/// One record: its fields and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// Why the text is not CSV, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub at: Position,
    pub message: String,
}

/// How much of a text [`records`] reads: a file of something else (a 16 MB line of
/// commas, millions of rows) is refused or cut short before it fills memory.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Fields a record may have; the first beyond is a syntax error at its place.
    pub fields: usize,
    /// Records kept; reading stops after this many (the caller says what is too many).
    pub records: usize,
}

/// The records of `text`, blank lines and rows of empty cells (`,,`, as a spreadsheet
/// leaves below its data) skipped, at most `bounds.records` of them. Stops at the first
/// syntax error, or at a record with more than `bounds.fields` fields.
pub fn records(text: &str, bounds: Bounds) -> Result<Vec<Record>, SyntaxError> {
    let mut reader = Reader {
        chars: text.chars().peekable(),
        at: Position { line: 1, column: 1 },
    };
    let mut records = Vec::new();
    while reader.chars.peek().is_some() && records.len() < bounds.records {
        let record = reader.record(bounds.fields)?;
        let blank = record.fields.iter().all(|f| f.text.trim().is_empty());
        if !blank {
            records.push(record);
        }
    }
    Ok(records)
}

/// A separator other than the comma, as a spreadsheet in a decimal-comma locale writes
/// one: semicolons, or tabs from "Text (tab-delimited)".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForeignSeparator {
    /// The separator's name, plural: "semicolons" or "tabs".
    pub name: &'static str,
    /// Where it first stands on the header line.
    pub at: Position,
    /// Whether a field of the file is a number with a decimal comma (`0,075`).
    pub decimal_commas: bool,
}

/// The separator of `text` when its header line (the first line not blank) holds no comma
/// but a semicolon or a tab: such a file read as commas is one field a line, whose messages
/// (a header without `metric`, text after a closing quote) miss the cause.
pub fn foreign_separator(text: &str) -> Option<ForeignSeparator> {
    let mut lines = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| l.trim().is_empty());
    let (index, header) = lines.next()?;
    if header.contains(',') {
        return None;
    }
    let (separator, name) = [(';', "semicolons"), ('\t', "tabs")]
        .into_iter()
        .find(|(c, _)| header.contains(*c))?;
    let column = header.chars().take_while(|&c| c != separator).count() + 1;
    let decimal_commas = lines
        .flat_map(|(_, line)| line.split(separator))
        .any(|field| is_decimal_comma(field.trim().trim_matches('"')));
    Some(ForeignSeparator {
        name,
        at: Position {
            line: index + 1,
            column,
        },
        decimal_commas,
    })
}

/// Whether `text` is a number written with a decimal comma: `0,075`, `-1,5`.
pub fn is_decimal_comma(text: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    matches!(unsigned.split_once(','), Some((whole, part)) if digits(whole) && digits(part))
}

struct Reader<'t> {
    chars: std::iter::Peekable<std::str::Chars<'t>>,
    /// Where the next character is.
    at: Position,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.at = Position {
                line: self.at.line + 1,
                column: 1,
            };
        } else {
            self.at.column += 1;
        }
        Some(c)
    }

    /// Whether a line ends here (LF, CRLF or the end of the text); consumes it.
    fn line_end(&mut self) -> bool {
        match self.chars.peek() {
            None => true,
            Some('\n') => {
                self.next();
                true
            }
            Some('\r') => {
                self.next();
                if self.chars.peek() == Some(&'\n') {
                    self.next();
                } else {
                    // A lone CR (old Mac text) ends a line too; the next one is a new line.
                    self.at = Position {
                        line: self.at.line + 1,
                        column: 1,
                    };
                }
                true
            }
            Some(_) => false,
        }
    }

    fn record(&mut self, most: usize) -> Result<Record, SyntaxError> {
        let line = self.at.line;
        let mut fields = Vec::new();
        loop {
            if fields.len() == most {
                return Err(SyntaxError {
                    at: self.at,
                    message: format!(
                        "more than {most} fields on one line; a file of observations needs three \
                         columns (and a few notes beside them)"
                    ),
                });
            }
            fields.push(self.field()?);
            if self.line_end() {
                return Ok(Record { line, fields });
            }
            // `field` stops only at a comma or a line's end.
            self.next();
        }
    }

    fn field(&mut self) -> Result<Field, SyntaxError> {
        let at = self.at;
        if self.chars.peek() == Some(&'"') {
            self.next();
            return self.quoted(at);
        }
        let mut text = String::new();
        while let Some(&c) = self.chars.peek() {
            match c {
                ',' | '\n' | '\r' => break,
                '"' => {
                    return Err(SyntaxError {
                        at: self.at,
                        message: "a double quote inside a field that does not start with one; \
                                  put the whole field in double quotes and write a quote \
                                  inside it as two (\"\")"
                            .into(),
                    })
                }
                c => {
                    text.push(c);
                    self.next();
                }
            }
        }
        Ok(Field { text, at })
    }

    /// A quoted field whose opening quote, at `at`, is read.
    fn quoted(&mut self, at: Position) -> Result<Field, SyntaxError> {
        let mut text = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(SyntaxError {
                        at,
                        message: "the double quote that opens this field is never closed".into(),
                    })
                }
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.next();
                    text.push('"');
                }
                Some('"') => break,
                Some(c) => text.push(c),
            }
        }
        match self.chars.peek() {
            None | Some(',') | Some('\n') | Some('\r') => Ok(Field { text, at }),
            Some(_) => Err(SyntaxError {
                at: self.at,
                message: "text after the closing double quote of a field; a field in quotes \
                          ends at its closing quote (write a quote inside it as two: \"\")"
                    .into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records_of(text: &str) -> Result<Vec<Record>, SyntaxError> {
        let bounds = Bounds {
            fields: 10,
            records: 100,
        };
        records(text, bounds)
    }

    /// A line of a million commas (or a million rows) is refused or cut short as it is
    /// read: held whole as fields, a 16 MB file took 580 MB.
    #[test]
    fn a_line_of_a_million_commas_is_refused_at_the_field_past_the_bound() {
        let commas = ",".repeat(1_000_000);
        let wide = records(
            &format!("metric,step,value\n{commas}\n"),
            Bounds {
                fields: 100,
                records: 10,
            },
        );
        let error = wide.unwrap_err();
        assert_eq!(error.at, at(2, 101));
        assert!(
            error.message.contains("more than 100 fields"),
            "{}",
            error.message
        );
        let long = "a,1\n".repeat(1_000_000);
        let kept = records(
            &long,
            Bounds {
                fields: 100,
                records: 7,
            },
        )
        .unwrap();
        assert_eq!(kept.len(), 7);
    }

    fn texts(text: &str) -> Vec<Vec<String>> {
        records_of(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields.into_iter().map(|f| f.text).collect())
            .collect()
    }

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            texts("metric,step\n\"Share(A, B, arms)\",4\n\"say \"\"hi\"\"\nthere\",5\n"),
            [
                vec!["metric", "step"],
                vec!["Share(A, B, arms)", "4"],
                vec!["say \"hi\"\nthere", "5"],
            ]
        );
        assert_eq!(texts("a,,\"\"\n"), [vec!["a", "", ""]]);
    }

    #[test]
    fn crlf_and_lf_end_lines_alike_and_blank_lines_are_skipped() {
        let crlf = records_of("a,b\r\n\r\n1,2\r\n").unwrap();
        assert_eq!(crlf.len(), 2);
        assert_eq!(crlf[1].line, 3);
        assert_eq!(crlf[1].fields[1].at, at(3, 3));
        assert_eq!(texts("a,b\n1,2"), [vec!["a", "b"], vec!["1", "2"]]);
    }

    #[test]
    fn each_field_knows_its_line_and_column_in_characters() {
        let r = records_of("x,y\n\"Pākistan, β\",7\n").unwrap();
        assert_eq!(r[1].fields[0].at, at(2, 1));
        assert_eq!(r[1].fields[1].at, at(2, 15));
        // A record spanning lines: the field after the break is on the next line.
        let r = records_of("\"a\nb\",c\n").unwrap();
        assert_eq!(r[0].fields[1].at, at(2, 4));
    }

    #[test]
    fn bad_quoting_is_named_at_its_place() {
        let open = records_of("a,b\n1,\"never closed\n").unwrap_err();
        assert_eq!(open.at, at(2, 3));
        assert!(open.message.contains("never closed"), "{}", open.message);
        let after = records_of("a,b\n\"x\"y,2\n").unwrap_err();
        assert_eq!(after.at, at(2, 4));
        let inside = records_of("a,b\nx\"y,2\n").unwrap_err();
        assert_eq!(inside.at, at(2, 2));
    }

    #[test]
    fn semicolons_and_tabs_on_the_header_line_are_named_with_decimal_commas() {
        let semi = foreign_separator("\n\"metric\";step;value\nclose;8;0,5\n").unwrap();
        assert_eq!(
            (semi.name, semi.at, semi.decimal_commas),
            ("semicolons", at(2, 9), true)
        );
        let tabs = foreign_separator("metric\tstep\tvalue\nclose\t8\t1\n").unwrap();
        assert_eq!(
            (tabs.name, tabs.at, tabs.decimal_commas),
            ("tabs", at(1, 7), false)
        );
        assert_eq!(foreign_separator("metric,step;value\n"), None);
        assert_eq!(foreign_separator("metric\n"), None);
        assert!(is_decimal_comma("-0,075") && !is_decimal_comma("0,") && !is_decimal_comma("a,1"));
    }
}
