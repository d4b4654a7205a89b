//! [`SecretGenerator`]: how Secrets Manager generates a secret's value, typed, with
//! the limits of its `GetRandomPassword` (AWS Secrets Manager API Reference).

use crate::secretsmanager::secret::GenerateSecretString;

/// The longest value `GetRandomPassword` generates (`PasswordLength`: 1 to 4,096).
const MAX_LENGTH: u32 = 4096;

/// How a secret's value is generated: its length, the classes of characters left
/// out, characters never used, and optionally a JSON object the value is put into
/// under a key (`{"username": "app", "password": "<generated>"}`).
///
/// ```
/// use nephos::constructs::SecretGenerator;
/// let g = SecretGenerator::new().length(20).exclude_punctuation();
/// assert!(g.problems().is_empty());
/// let none_left = SecretGenerator::new().exclude_lowercase().exclude_uppercase()
///     .exclude_numbers().exclude_punctuation();
/// assert!(!none_left.problems().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SecretGenerator {
    length: u32,
    exclude_lowercase: bool,
    exclude_uppercase: bool,
    exclude_numbers: bool,
    exclude_punctuation: bool,
    include_space: bool,
    each_type: bool,
    exclude_characters: String,
    json: Option<(serde_json::Value, String)>,
}

impl Default for SecretGenerator {
    fn default() -> Self {
        SecretGenerator {
            length: 32,
            exclude_lowercase: false,
            exclude_uppercase: false,
            exclude_numbers: false,
            exclude_punctuation: false,
            include_space: false,
            each_type: true,
            exclude_characters: String::new(),
            json: None,
        }
    }
}

impl SecretGenerator {
    /// 32 characters, at least one of each class (lower and upper case letters, digits,
    /// punctuation), no space.
    pub fn new() -> Self {
        SecretGenerator::default()
    }

    /// The number of characters (1 to 4,096).
    pub fn length(mut self, characters: u32) -> Self {
        self.length = characters;
        self
    }

    /// No lower case letters.
    pub fn exclude_lowercase(mut self) -> Self {
        self.exclude_lowercase = true;
        self
    }

    /// No upper case letters.
    pub fn exclude_uppercase(mut self) -> Self {
        self.exclude_uppercase = true;
        self
    }

    /// No digits.
    pub fn exclude_numbers(mut self) -> Self {
        self.exclude_numbers = true;
        self
    }

    /// No punctuation (`!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`).
    pub fn exclude_punctuation(mut self) -> Self {
        self.exclude_punctuation = true;
        self
    }

    /// Spaces may appear.
    pub fn include_space(mut self) -> Self {
        self.include_space = true;
        self
    }

    /// Not necessarily one character of each class left in.
    pub fn any_mix(mut self) -> Self {
        self.each_type = false;
        self
    }

    /// Characters never used (such as `"@/\`, which break connection strings).
    pub fn exclude_characters(mut self, characters: impl Into<String>) -> Self {
        self.exclude_characters = characters.into();
        self
    }

    /// Puts the generated value into `template` (a JSON object) under `key`.
    pub fn json_key(mut self, template: serde_json::Value, key: impl Into<String>) -> Self {
        self.json = Some((template, key.into()));
        self
    }

    /// What `GetRandomPassword` or CloudFormation would refuse, in words.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=MAX_LENGTH).contains(&self.length) {
            out.push(format!("the length {} is outside 1 to 4,096", self.length));
        }
        let classes = [
            !self.exclude_lowercase,
            !self.exclude_uppercase,
            !self.exclude_numbers,
            !self.exclude_punctuation,
            self.include_space,
        ];
        let included = classes.iter().filter(|c| **c).count();
        if included == 0 {
            out.push(
                "every class of characters is excluded, so there is nothing to draw from"
                    .to_string(),
            );
        } else if self.each_type && (self.length as usize) < included {
            out.push(format!(
                "one character of each of the {included} classes left in is required, but the length is {}",
                self.length
            ));
        }
        if self.exclude_characters.chars().count() > MAX_LENGTH as usize {
            out.push("more than 4,096 characters are excluded".to_string());
        }
        if let Some((template, key)) = &self.json {
            match template {
                serde_json::Value::Object(m) if m.contains_key(key) => out.push(format!(
                    "the JSON template already has the key `{}` the value goes under",
                    key.escape_debug()
                )),
                serde_json::Value::Object(_) => {}
                _ => out.push("the JSON template is not an object".to_string()),
            }
            if key.is_empty() {
                out.push("the JSON key is empty".to_string());
            }
        }
        out
    }

    /// The `GenerateSecretString` property: every option written, so the template says
    /// what is generated rather than leaving it to the service's defaults. Check
    /// [`problems`](SecretGenerator::problems) first: the property is written as given.
    ///
    /// ```
    /// use nephos::constructs::SecretGenerator;
    /// let g = SecretGenerator::new().length(40).to_property();
    /// assert_eq!(nephos::PropsBuilder::props(&g).get_json("PasswordLength"), Some(serde_json::json!(40)));
    /// ```
    pub fn to_property(&self) -> GenerateSecretString {
        let mut g = GenerateSecretString::new()
            .password_length(i64::from(self.length))
            .require_each_included_type(self.each_type);
        if self.exclude_lowercase {
            g = g.exclude_lowercase(true);
        }
        if self.exclude_uppercase {
            g = g.exclude_uppercase(true);
        }
        if self.exclude_numbers {
            g = g.exclude_numbers(true);
        }
        if self.exclude_punctuation {
            g = g.exclude_punctuation(true);
        }
        if self.include_space {
            g = g.include_space(true);
        }
        if !self.exclude_characters.is_empty() {
            g = g.exclude_characters(self.exclude_characters.clone());
        }
        if let Some((template, key)) = &self.json {
            g = g
                .secret_string_template(template.to_string())
                .generate_string_key(key.clone());
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_is_reported() {
        assert!(SecretGenerator::new().problems().is_empty());
        assert!(SecretGenerator::new().length(0).problems()[0].contains("length 0"));
        assert!(SecretGenerator::new().length(4097).problems()[0].contains("4097"));
        assert!(SecretGenerator::new().length(3).problems()[0].contains("4 classes"));
        assert!(
            SecretGenerator::new()
                .length(3)
                .any_mix()
                .problems()
                .is_empty()
        );
        let json =
            SecretGenerator::new().json_key(serde_json::json!({"password": "x"}), "password");
        assert!(json.problems()[0].contains("already has the key"));
        let json = SecretGenerator::new().json_key(serde_json::json!(["x"]), "password");
        assert!(json.problems()[0].contains("not an object"));
    }
}
