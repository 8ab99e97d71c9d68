DROP TABLE deployment_facts;
