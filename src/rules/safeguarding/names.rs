//! Names people in the UK commonly carry, so that a name is found where no word like "victim"
//! or "Mr" comes before it ("Spoke to Katarzyna about the bike").
//!
//! Written from general knowledge of names common in the communities officers serve (English,
//! Scottish, Welsh, Irish, Caribbean, South Asian, Somali and Arabic, West African, Polish,
//! Romanian, Baltic, Ukrainian, Albanian, southern European, Chinese and Vietnamese), not from
//! any set of test sentences. They are data, not rules: a force can add its own patterns.
//!
//! Left out on purpose: names that are also words an officer writes or that name something
//! else ("Will", "Mark", "Grace", "Dawn", "Jack", "Nick", "Pat", "May", "June", "Victoria",
//! "Charlie" and "Oscar" of the phonetic alphabet). Those are found only after a trigger word or
//! as part of a full name with a surname below.

/// Given names matched capitalised or in lower case: none is an English word.
#[rustfmt::skip]
pub(super) const GIVEN: &[&str] = &[
    // English, Scottish, Welsh and Irish: women.
    "Abigail", "Adele", "Aimee", "Alana", "Alexandra", "Alice", "Alicia", "Alison", "Amanda",
    "Amelia", "Amy", "Andrea", "Angela", "Anna", "Anne", "Annette", "Annie", "Antonia", "Ashleigh",
    "Audrey", "Ava", "Barbara", "Beatrice", "Becky", "Beth", "Bethan", "Bethany", "Beverley",
    "Brenda", "Bridget", "Caitlin", "Carla", "Carly", "Caroline", "Carolyn", "Catherine", "Cathy",
    "Charlene", "Charlotte", "Chelsey", "Chloe", "Christine", "Claire", "Clare", "Danielle",
    "Deborah", "Debbie", "Demi", "Denise", "Diane", "Donna", "Doreen", "Dorothy", "Eleanor",
    "Elizabeth", "Ella", "Ellie", "Eloise", "Emily", "Emma", "Erin", "Esther", "Eva", "Evie",
    "Fiona", "Freya", "Gemma", "Georgia", "Georgina", "Gillian", "Gwen", "Hannah", "Harriet",
    "Hayley", "Helen", "Imogen", "Irene", "Isabel", "Isabella", "Isabelle", "Isla", "Jacqueline",
    "Jackie", "Jane", "Janet", "Janice", "Jennifer", "Jenny", "Jess", "Jessica", "Joanne", "Jodie",
    "Josephine", "Judith", "Julia", "Julie", "Katherine", "Kathleen", "Kate", "Katie", "Kayleigh",
    "Keeley", "Kelly", "Kerry", "Kimberley", "Kirsty", "Laura", "Lauren", "Leah", "Leanne",
    "Lesley", "Linda", "Lindsay", "Lisa", "Lorraine", "Louise", "Lucy", "Lydia", "Lynn", "Lynne",
    "Maisie", "Margaret", "Maria", "Marie", "Marion", "Martha", "Mary", "Megan", "Melanie",
    "Melissa", "Michelle", "Mia", "Millie", "Monica", "Nadia", "Naomi", "Natalie", "Natasha",
    "Nicola", "Nicole", "Olivia", "Paige", "Pamela", "Patricia", "Paula", "Pauline", "Phoebe",
    "Rachel", "Rebecca", "Rhiannon", "Rosie", "Ruth", "Samantha", "Sandra", "Sara", "Sarah",
    "Scarlett", "Shannon", "Sharon", "Sheila", "Shirley", "Sophie", "Sophia", "Stacey", "Stephanie",
    "Susan", "Suzanne", "Tanya", "Tara", "Teresa", "Theresa", "Tina", "Tracey", "Tracy", "Valerie",
    "Vanessa", "Vicky", "Wendy", "Yvonne", "Zoe", "Zoë", "Zara", "Kayla", "Lacey", "Chantelle",
    "Shauna", "Sian", "Siân", "Nia", "Cerys", "Ffion", "Eilidh", "Morag", "Ailsa", "Niamh", "Aoife",
    "Ciara", "Saoirse", "Orla", "Roisin", "Róisín", "Sinead", "Sinéad", "Siobhan", "Siobhán",
    "Grainne", "Aisling", "Mairead", "Bronagh", "Clodagh", "Mairi",
    // English, Scottish, Welsh and Irish: men.
    "Aaron", "Adam", "Adrian", "Aidan", "Alan", "Alastair", "Alasdair", "Albert", "Alex",
    "Alexander", "Alfie", "Alfred", "Andrew", "Andy", "Anthony", "Archie", "Arthur", "Ashley",
    "Barry", "Benjamin", "Bernard", "Bradley", "Brandon", "Brendan", "Brian", "Bryan", "Callum",
    "Calum", "Cameron", "Carl", "Charles", "Chris", "Christopher", "Ciaran", "Ciarán", "Colin",
    "Connor", "Conor", "Cormac", "Craig", "Damian", "Damien", "Daniel", "Danny", "Darren", "Darryl",
    "David", "Declan", "Dennis", "Dermot", "Derek", "Dominic", "Donal", "Donald", "Douglas",
    "Duncan", "Dylan", "Eamon", "Eamonn", "Edward", "Eddie", "Elliot", "Elliott", "Ethan", "Eugene",
    "Euan", "Evan", "Ewan", "Fergus", "Finlay", "Finley", "Fionn", "Francis", "Fraser", "Freddie",
    "Frederick", "Gareth", "Gary", "Gavin", "Geoffrey", "George", "Gerald", "Gerry", "Geraint",
    "Gethin", "Gordon", "Graham", "Gregory", "Hamish", "Harrison", "Harry", "Harvey", "Henry",
    "Howard", "Hugh", "Hugo", "Huw", "Iain", "Ian", "Isaac", "Iwan", "Jacob", "Jake", "James",
    "Jamie", "Jason", "Jayden", "Jeffrey", "Jeremy", "Jim", "Jimmy", "John", "Johnny", "Jonathan",
    "Jordan", "Joseph", "Joshua", "Jude", "Julian", "Justin", "Kai", "Karl", "Keith", "Kenneth",
    "Kenny", "Kevin", "Kev", "Kieran", "Kyle", "Lee", "Leo", "Leon", "Lewis", "Liam", "Logan",
    "Lorcan", "Louie", "Louis", "Luke", "Malcolm", "Marcus", "Martin", "Matthew", "Michael",
    "Mitchell", "Nathan", "Neil", "Niall", "Nigel", "Noah", "Oliver", "Ollie", "Owen", "Padraig",
    "Patrick", "Paul", "Philip", "Phillip", "Phil", "Reece", "Rhodri", "Rhys", "Riley", "Robbie",
    "Robert", "Ronan", "Rory", "Ross", "Ruairi", "Ryan", "Samuel", "Sam", "Scott", "Seamus", "Sean",
    "Seán", "Sebastian", "Shane", "Simon", "Stephen", "Steven", "Steve", "Stuart", "Tadhg", "Theo",
    "Theodore", "Thomas", "Timothy", "Toby", "Tony", "Trevor", "Tyler", "Wayne", "Wesley",
    "William", "Zach", "Zachary", "Dafydd", "Emyr", "Oisin", "Oisín", "Cian", "Eoin", "Darragh",
    // Caribbean British.
    "Leroy", "Winston", "Errol", "Desmond", "Neville", "Marlon", "Dwayne", "Dwight", "Jermaine",
    "Jerome", "Tyrese", "Kemar", "Marcia", "Paulette", "Yolanda", "Shanice", "Tanisha", "Keisha",
    "Latoya",
    // South Asian.
    "Mohammed", "Muhammad", "Mohammad", "Mohamed", "Ahmed", "Ahmad", "Ali", "Hassan", "Hussain",
    "Imran", "Irfan", "Asif", "Arif", "Tariq", "Zubair", "Usman", "Bilal", "Hamza", "Ibrahim",
    "Ismail", "Yusuf", "Zain", "Zainab", "Ayesha", "Aisha", "Fatima", "Amina", "Amir", "Amira",
    "Samir", "Sana", "Saima", "Nazia", "Shazia", "Rukhsana", "Nasreen", "Parveen", "Razia",
    "Khadija", "Maryam", "Mariam", "Hafsa", "Sadia", "Raj", "Rajesh", "Ravi", "Sanjay", "Sunil",
    "Vijay", "Anil", "Ajay", "Amit", "Rohit", "Rahul", "Vikram", "Arjun", "Aryan", "Neha", "Priya",
    "Pooja", "Anjali", "Sunita", "Anita", "Geeta", "Deepak", "Harpreet", "Gurpreet", "Manpreet",
    "Jaspreet", "Harjit", "Kuldip", "Baljit", "Sukhdev", "Jasbir", "Simran", "Navjot", "Parminder",
    "Rupinder", "Amandeep", "Mandeep", "Ranjit", "Shabnam", "Nusrat", "Rahima", "Shirin", "Abdul",
    "Abdullah", "Rashid", "Khalid", "Majid", "Sajid", "Wasim", "Nadeem", "Naveed", "Shahid",
    "Zahid", "Faisal", "Adnan", "Kamran", "Farhan", "Rizwan", "Jamal", "Jameel", "Kabir", "Shamima",
    "Rubina", "Tahir", "Junaid",
    // Somali, Arabic and North African.
    "Abdi", "Abdirahman", "Abdullahi", "Mahad", "Hodan", "Faduma", "Hamdi", "Ayaan", "Ilhan",
    "Hibo", "Sahra", "Nimco", "Omar", "Osman", "Yasmin", "Layla", "Leila", "Nour", "Noor", "Rania",
    "Samira", "Youssef", "Karim", "Rami", "Tarek", "Walid", "Mustafa", "Mahmoud", "Hamid",
    "Hussein", "Abdo", "Yasmina",
    // West African.
    "Chinedu", "Chukwuemeka", "Emeka", "Obinna", "Ifeanyi", "Ngozi", "Chioma", "Adaeze", "Nkechi",
    "Oluwaseun", "Seun", "Tunde", "Babatunde", "Ayodele", "Femi", "Funmilayo", "Folake", "Yetunde",
    "Kemi", "Kwame", "Kofi", "Kwabena", "Abena", "Akua", "Efua", "Kojo", "Adebayo", "Olumide",
    "Temitope", "Chidi",
    // Polish.
    "Katarzyna", "Kasia", "Agnieszka", "Małgorzata", "Malgorzata", "Magdalena", "Joanna",
    "Aleksandra", "Monika", "Ewa", "Krystyna", "Dorota", "Beata", "Marta", "Natalia", "Karolina",
    "Justyna", "Paulina", "Weronika", "Zuzanna", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Pawel",
    "Michał", "Michal", "Marcin", "Łukasz", "Lukasz", "Jakub", "Kamil", "Mateusz", "Grzegorz",
    "Wojciech", "Rafał", "Rafal", "Andrzej", "Dawid", "Bartosz", "Szymon", "Przemysław", "Przemek",
    "Artur", "Dariusz", "Mariusz", "Zbigniew", "Jerzy", "Stanisław", "Bogdan",
    // Romanian, Baltic, Ukrainian and Russian, Albanian.
    "Ionut", "Ionuț", "Andrei", "Alexandru", "Mihai", "Cristian", "Vasile", "Elena", "Ioana",
    "Andreea", "Mihaela", "Alina", "Irina", "Oana", "Larisa", "Daniela", "Roxana", "Simona",
    "Tatiana", "Svetlana", "Olga", "Oksana", "Yulia", "Iryna", "Olena", "Dmitri", "Dmytro",
    "Sergei", "Serhiy", "Oleksandr", "Vladimir", "Volodymyr", "Ivan", "Igor", "Mykola", "Aurimas",
    "Tomas", "Mantas", "Lukas", "Jonas", "Darius", "Ruta", "Rūta", "Eglė", "Egle", "Agne", "Janis",
    "Jānis", "Edgars", "Ilze", "Arben", "Besnik", "Ermal", "Fatos", "Blerta", "Dritan", "Gentian",
    "Klevis",
    // Southern European.
    "Giuseppe", "Giovanni", "Marco", "Luca", "Francesca", "Giulia", "Alessandro", "Carlos", "Juan",
    "José", "Jose", "Miguel", "Pedro", "Luis", "Javier", "Pablo", "Sofia", "Lucia", "Carmen", "Ana",
    "João", "Joao", "Tiago", "Rui",
    // Chinese and Vietnamese.
    "Wei", "Ming", "Xiao", "Mei", "Linh", "Minh", "Thanh", "Huong",
];

/// Given names that are ordinary words in lower case ("frank", "heather", "robin"), so they
/// are matched only capitalised.
#[rustfmt::skip]
pub(super) const GIVEN_CAPITALISED: &[&str] = &[
    "Frank", "Heather", "Robin", "Holly", "Ruby", "Daisy", "Jean", "Dean", "Grant", "Peter",
    "Terry", "Tom", "Ben", "Billy", "Josh", "Karen", "Norman", "Florin", "Carol", "Sue", "Rob",
    "Bob", "Matt", "Warren", "Glen", "Dale", "Hunter", "Mason", "Rose", "Ivy", "Harper", "Taylor",
    "Kim", "Lily", "Jasmine",
];

/// Surnames common in the UK that are not ordinary words ("Patel", not "Green" or "Hill"):
/// after any capitalised word they make a full name ("Delroy Campbell").
#[rustfmt::skip]
pub(super) const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Williams", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "Edwards", "Hughes", "Lewis", "Harris",
    "Clarke", "Clark", "Patel", "Jackson", "Turner", "Martin", "Cooper", "Morris", "Moore",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Bennett", "Griffiths", "Mitchell", "Kelly", "Carter", "Richardson", "Bailey", "Collins",
    "Murphy", "Miller", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams",
    "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Mason", "Ali",
    "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Barnes", "Lloyd", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
    "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Pearce", "Brooks", "Lawrence", "Atkinson", "Bradley",
    "Spencer", "Gill", "Dawson", "Burton", "O'Brien", "Watts", "Perry", "Ryan", "Armstrong",
    "Francis", "Rees", "Hayes", "Hudson", "Newman", "Barrett", "Webster", "Gregory", "Lowe",
    "Riley", "Dunn", "Parsons", "Reid", "Hawkins", "Harding", "Robertson", "Newton", "Kennedy",
    "Williamson", "Gardner", "Shah", "Cooke", "Henderson", "Parry", "Burgess", "Nicholson",
    "Freeman", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Macdonald", "Yates",
    "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Coleman", "Watkins", "McCarthy",
    "O'Neill", "Griffin", "Osborne", "Johnston", "Doyle", "Wallace", "Hutchinson", "Burke",
    "Pritchard", "Gilbert", "Higgins", "Stevenson", "Stephenson", "Hammond", "Buckley", "Walters",
    "Hewitt", "Whitehead", "Sullivan", "O'Sullivan", "Goodwin", "Woodward", "Thomson", "Cunningham",
    "Quinn", "Barnett", "Baxter", "Bibi", "Greenwood", "Jennings", "Gallagher", "Davidson",
    "Fowler", "Middleton", "Lawson", "Dickinson", "Barlow", "Hartley", "Miah", "Simmons",
    "Morrison", "Townsend", "Thornton", "Baldwin", "Pickering", "Uddin", "Rahman", "Mahmood",
    "Iqbal", "Malik", "Akhtar", "Hussein", "Choudhury", "Chowdhury", "Sharma", "Kumar", "Gupta",
    "Mistry", "Sandhu", "Dhillon", "Bains", "Nowak", "Kowalski", "Kowalska", "Wiśniewski",
    "Wisniewski", "Wójcik", "Wojcik", "Kowalczyk", "Kamiński", "Kaminski", "Lewandowski",
    "Zieliński", "Zielinski", "Szymański", "Popescu", "Ionescu", "Popa", "Kazlauskas", "Petrov",
    "Ivanov", "Shevchenko", "Kovalenko", "Hoxha", "Krasniqi", "Adeyemi", "Okafor", "Okonkwo",
    "Okeke", "Nwosu", "Adebayo", "Afolabi", "Mensah", "Osei", "Boateng", "Asante", "Owusu",
    "Mohamed", "Mohamud", "Warsame", "Abdullahi", "Rossi", "Russo", "Ferreira", "Silva", "Santos",
    "Garcia", "Rodriguez", "Fernandez", "Nguyen", "Tran", "Chen", "Wang", "Zhang", "Liu", "Wong",
    "McKenzie", "Mackenzie", "Fraser", "Sinclair", "MacLeod", "McLeod", "Docherty", "Doherty",
    "McLaughlin", "Gallacher", "Kerr", "Christie", "Duffy", "Brennan", "Gorman", "Kavanagh",
    "Flanagan", "Cullen", "McGrath", "Brady", "Hegarty",
];
