//! The first notice of an area starts from this.

/// The sections a shared care record privacy notice needs, offered when an area writes its
/// first notice: who the joint controllers are, what information, why and the lawful basis, who
/// can see it, how long it is kept, the patient's rights and how to contact the area.
pub fn template(area_name: &str, organisations: &[(String, String)]) -> String {
    let orgs: String = organisations.iter().map(|(code, name)| format!("- {name} ({code})\n")).collect();
    format!(
        r#"## Who we are

The {area_name} is run by the health and care organisations below, as joint controllers of the information in it:

{orgs}
## What information is in the shared care record

Information that helps the people caring for you, such as your name, address, date of birth and NHS number; your GP surgery; your allergies, medicines and test results; hospital visits and discharge letters; care plans; and social care support you receive.

## Why we use it, and the lawful basis

We use it to give you safe and joined-up care. The lawful basis is UK GDPR Article 6(1)(e), a task in the public interest, and for health information Article 9(2)(h), the provision of health and social care.

## Who can see it

Only health and care professionals who are caring for you, and only the parts their role needs. An administrator sees your contact details, not your diagnoses. Every time someone looks at your record it is recorded in an audit trail.

## How long it is kept

Information stays in the shared care record while the organisations that provide it keep it, following the Records Management Code of Practice.

## Your rights

- You can **object** to your information being in the shared care record. Each objection is considered locally on a case by case basis. [Object](/objections/new)
- You can **ask for a copy** of the information held about you. We will answer within one month. [Ask for a copy](/access-requests/new)
- You can see **who has looked at your record**, and why. [See who has looked](/access-log)
- You can **complain** to the Information Commissioner's Office at [ico.org.uk](https://ico.org.uk/make-a-complaint/) or by calling 0303 123 1113.

## How to contact us

Write to, email or phone the Data Protection Officer of the {area_name}: their details are below this notice. You can also use this service to object or to ask for your information.
"#
    )
}

